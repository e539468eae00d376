import { useMemo } from 'react';
import { useExtensionActions, useExtensionContext } from '@hubspot/ui-extensions';
import { apiOriginFrom, createApiClient, type ApiClient } from './api-client.ts';
import { localeOf, messagesFor, type Locale, type Messages } from './i18n.ts';

/** What every card needs from HubSpot: the company, the backend, the language and the actions. */
export interface CardEnvironment {
  companyId: string;
  api: ApiClient;
  locale: Locale;
  m: Messages;
  refreshObjectProperties: () => void;
  /** Calls `onChange` whenever HubSpot sees one of `properties` of the record change. */
  onPropertiesUpdate: (properties: string[], onChange: () => void) => void;
}

export function useCardEnvironment(): CardEnvironment {
  const context = useExtensionContext<'crm.record.tab'>();
  const actions = useExtensionActions<'crm.record.tab'>();
  const origin = apiOriginFrom(context.variables);
  const api = useMemo(() => createApiClient(origin), [origin]);
  const locale = localeOf(context.user);
  return {
    companyId: String(context.crm.objectId),
    api,
    locale,
    m: messagesFor(locale),
    refreshObjectProperties: () => actions.refreshObjectProperties(),
    onPropertiesUpdate: (properties, onChange) =>
      actions.onCrmPropertiesUpdate(properties, (_values, error) => {
        if (error === undefined) onChange();
      }),
  };
}

/** The settings page and the app home page have the user and the portal, no CRM record. */
export interface PortalEnvironment {
  api: ApiClient;
  locale: Locale;
  m: Messages;
}

export function usePortalEnvironment(): PortalEnvironment {
  // 'settings' and 'pages' share this part of the context (user, portal, variables).
  const context = useExtensionContext<'settings'>();
  const origin = apiOriginFrom(context.variables);
  const api = useMemo(() => createApiClient(origin), [origin]);
  const locale = localeOf(context.user);
  return { api, locale, m: messagesFor(locale) };
}
