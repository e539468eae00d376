/**
 * The key-account model of shared/docs/kam-model.md as a pure library:
 * no I/O, no clock. Give it a HubSpot portal export, settings and `asOf`.
 */
export * from './account-inputs.ts';
export * from './buying-centre.ts';
export * from './account-plan.ts';
export * from './complaints.ts';
export * from './data-quality.ts';
export * from './explanation.ts';
export * from './format.ts';
export * from './groups.ts';
export * from './hubspot-objects.ts';
export * from './input-properties.ts';
export * from './loyalty.ts';
export * from './matrix.ts';
export * from './next-actions.ts';
export * from './portfolio.ts';
export * from './portfolio-context.ts';
export * from './portfolio-summary.ts';
export * from './profile.ts';
export * from './satisfaction.ts';
export * from './settings.ts';
export * from './standings.ts';
export * from './standings-index.ts';
export * from './swot.ts';
export * from './text-bounds.ts';
export * from './tiering.ts';
export * from './visits.ts';
