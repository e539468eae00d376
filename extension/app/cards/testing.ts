// Re-exports for the root-level tests in test/extension/. Node resolves
// packages upward from the importing file, and the repository root has no
// React or @hubspot/ui-extensions (they belong to the cards' own package), so
// the tests take them from here: the same module instances the cards use,
// which `vi.spyOn(hubspot, 'fetch')` needs. No card imports this file.
export { createElement, useState } from 'react';
export type { FunctionComponent } from 'react';
export * from '@hubspot/ui-extensions';
export { CrmActionButton, CrmActionLink } from '@hubspot/ui-extensions/crm';
export { createRenderer } from '@hubspot/ui-extensions/testing';
export type {
  RenderedChildNode,
  RenderedElementNode,
  RenderedRootNode,
} from '@hubspot/ui-extensions/testing';
