import { en, type Messages } from './messages/en.ts';
import { zh } from './messages/zh.ts';

/**
 * The user's language and its messages: one file per locale in `messages/`,
 * English first (its shape is every locale's type).
 */

export type { Messages };
export type Locale = 'en' | 'zh';

/** HubSpot gives the user's locale as e.g. "zh-cn"; anything Chinese gets Chinese, the rest English. */
export function localeOf(user: { locale?: string; language?: string } | undefined): Locale {
  const tag = (user?.locale ?? user?.language ?? '').toLowerCase();
  return tag.startsWith('zh') ? 'zh' : 'en';
}

const catalogues: Record<Locale, Messages> = { en, zh };

export function messagesFor(locale: Locale): Messages {
  return catalogues[locale];
}
