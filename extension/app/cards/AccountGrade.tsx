import { hubspot } from '@hubspot/ui-extensions';
import { AccountGradeCard } from './account-grade/AccountGradeCard.tsx';

hubspot.extend<'crm.record.tab'>(() => <AccountGradeCard />);
