import { hubspot } from '@hubspot/ui-extensions';
import { RelationshipCard } from './relationship/RelationshipCard.tsx';

hubspot.extend<'crm.record.tab'>(() => <RelationshipCard />);
