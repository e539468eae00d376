import { hubspot } from '@hubspot/ui-extensions';
import { SatisfactionCard } from './satisfaction/SatisfactionCard.tsx';

hubspot.extend<'crm.record.tab'>(() => <SatisfactionCard />);
