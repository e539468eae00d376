// The settings page lives in the cards' package (app/cards/settings/) so the
// whole app shares one React, one @hubspot/ui-extensions and one api client;
// two copies of React in one bundle would break hooks. This entry only loads
// the module that calls hubspot.extend, and has no JSX or package import of
// its own, so it resolves nothing from this folder; its package.json (the
// same pins as the cards') lets the folder install and build on its own.
import '../cards/settings/register-settings-page.tsx';
