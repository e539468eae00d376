import { hubspot } from '@hubspot/ui-extensions';
import { SwotCard } from './swot/SwotCard.tsx';

hubspot.extend<'crm.record.tab'>(() => <SwotCard />);
