import { hubspot } from '@hubspot/ui-extensions';
import { createPageRouter, PageRoutes } from '@hubspot/ui-extensions/pages';
import { PortfolioPage } from './PortfolioPage.tsx';

const HomeRouter = createPageRouter(
  <PageRoutes>
    <PageRoutes.IndexRoute component={PortfolioPage} />
  </PageRoutes>,
);

hubspot.extend<'pages'>(() => <HomeRouter />);
