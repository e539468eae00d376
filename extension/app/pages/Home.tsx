// The home page lives in the cards' package (app/cards/portfolio/) for the
// same reason as the settings page: one React and one @hubspot/ui-extensions
// for the whole app. This entry only loads the module that calls
// hubspot.extend, and resolves nothing from this folder; its package.json
// (the same pins as the cards') lets the folder install and build on its own.
import '../cards/portfolio/register-home-page.tsx';
