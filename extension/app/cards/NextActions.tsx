import { hubspot } from '@hubspot/ui-extensions';
import { NextActionsCard } from './next-actions/NextActionsCard.tsx';

hubspot.extend<'crm.record.sidebar'>(() => <NextActionsCard />);
