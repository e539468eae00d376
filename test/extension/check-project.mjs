#!/usr/bin/env node
// Offline structure check of the HubSpot project (extension/), run by .ci/run.
//
// HubSpot's own parser (@hubspot/project-parsing-lib, the library `hs project
// upload` uses) translates the project into its intermediate representation
// once per profile: every *-hsmeta.json parses, has a known type and a valid
// uid, hangs under the app, and every ${variable} resolves from the profile.
// Schema validation of each component's config needs a HubSpot account (the
// parser downloads the schemas per account and platform version), so it is
// skipped here; see extension/README.md for what is left to `hs project
// validate` / `hs project upload`. On top, this script checks what the parser
// leaves to the build: card and settings entrypoints exist, and each card's
// folder has its package.json with the pinned UI packages.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Components } from '@hubspot/project-parsing-lib/constants';
import { getAllHsProfiles } from '@hubspot/project-parsing-lib/profiles';
import { mapToUserFacingType } from '@hubspot/project-parsing-lib/transform';
import { translateForLocalDev } from '@hubspot/project-parsing-lib/translate';
import { validateUid } from '@hubspot/project-parsing-lib/uid';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const project = JSON.parse(readFileSync(join(root, 'hsproject.json'), 'utf8'));
const srcDir = join(root, project.srcDir);
const problems = [];

const profiles = await getAllHsProfiles(srcDir);
if (!profiles.includes('local') || !profiles.includes('production')) {
  problems.push(
    `expected hsprofile.local.json and hsprofile.production.json in ${project.srcDir}/`,
  );
}

for (const profile of profiles) {
  let result;
  try {
    result = await translateForLocalDev(
      { projectSourceDir: srcDir, platformVersion: project.platformVersion },
      { profile },
    );
  } catch (error) {
    problems.push(`[${profile}] ${error instanceof Error ? error.message : String(error)}`);
    continue;
  }
  const { intermediateRepresentation: ir, skippedHsMetaFiles } = result;
  for (const skipped of skippedHsMetaFiles) {
    problems.push(`[${profile}] skipped (not directly in a component folder): ${skipped}`);
  }
  const nodes = Object.values(ir.intermediateNodesIndexedByUid);
  for (const node of nodes) {
    for (const error of node.localDev.parsingErrors) {
      problems.push(`[${profile}] ${node.metaFilePath}: ${error}`);
    }
    const uidError = validateUid(node.uid);
    if (uidError) problems.push(`[${profile}] ${node.metaFilePath}: ${uidError}`);
    const userFacingType = mapToUserFacingType(node.componentType);
    const known = Components[userFacingType];
    if (!known) {
      problems.push(`[${profile}] ${node.metaFilePath}: unknown component type ${userFacingType}`);
    } else {
      const folder = known.parentComponent ? `${known.parentComponent}/${known.dir}` : known.dir;
      if (dirname(node.metaFilePath) !== folder) {
        problems.push(
          `[${profile}] ${node.metaFilePath}: a ${userFacingType} belongs in ${folder}/`,
        );
      }
    }
    // A ${variable} left in a config means the profile does not define it.
    const leftover = JSON.stringify(node.config).match(/\$\{[^}]*\}/);
    if (leftover) problems.push(`[${profile}] ${node.uid}: unresolved ${leftover[0]}`);
    const entrypoint = node.config?.entrypoint;
    if (typeof entrypoint === 'string' && !existsSync(join(srcDir, entrypoint))) {
      problems.push(`[${profile}] ${node.uid}: entrypoint ${entrypoint} does not exist`);
    }
  }
  const types = nodes.map((node) => node.componentType).sort();
  console.log(`[${profile}] ${nodes.length} components: ${types.join(', ')}`);
  const cards = nodes.filter((node) => node.componentType === 'CARD');
  if (cards.length !== 4) problems.push(`[${profile}] expected 4 cards, found ${cards.length}`);
  for (const type of ['APPLICATION', 'SETTINGS', 'WEBHOOKS']) {
    if (!types.includes(type)) problems.push(`[${profile}] no ${type} component`);
  }
  // The parts of each config the components' schemas constrain (hubspot-facts.md), checked
  // here because the schemas themselves are only served to an authenticated account.
  for (const card of cards) {
    if (!['crm.record.tab', 'crm.record.sidebar'].includes(card.config.location)) {
      problems.push(`[${profile}] ${card.uid}: location ${card.config.location}`);
    }
    if (JSON.stringify(card.config.objectTypes) !== '["companies"]') {
      problems.push(`[${profile}] ${card.uid}: objectTypes must be ["companies"]`);
    }
  }
  const webhooks = nodes.find((node) => node.componentType === 'WEBHOOKS');
  const subscriptionTypes = [
    'object.creation',
    'object.deletion',
    'object.propertyChange',
    'object.associationChange',
    'object.merge',
    'object.restore',
  ];
  for (const subscription of webhooks?.config?.subscriptions?.crmObjects ?? []) {
    const { subscriptionType, propertyName, objectType } = subscription;
    if (!subscriptionTypes.includes(subscriptionType)) {
      problems.push(`[${profile}] webhooks: unknown subscriptionType ${subscriptionType}`);
    }
    if ((subscriptionType === 'object.propertyChange') !== (typeof propertyName === 'string')) {
      problems.push(
        `[${profile}] webhooks: propertyName goes with object.propertyChange only (${objectType})`,
      );
    }
  }
  if (!/^https:\/\//.test(webhooks?.config?.settings?.targetUrl ?? '')) {
    problems.push(`[${profile}] webhooks: targetUrl must be https`);
  }
  const app = nodes.find((node) => node.componentType === 'APPLICATION');
  if (app?.config?.distribution !== 'marketplace' || app?.config?.auth?.type !== 'oauth') {
    problems.push(`[${profile}] app: must be a marketplace app with OAuth`);
  }
  if (!app?.config?.auth?.requiredScopes?.includes('oauth')) {
    problems.push(`[${profile}] app: requiredScopes must include oauth`);
  }
  for (const origin of app?.config?.permittedUrls?.fetch ?? []) {
    if (!/^https:\/\/[^/]+$/.test(origin)) {
      problems.push(`[${profile}] permittedUrls.fetch entry is not an https origin: ${origin}`);
    }
  }
}

const cardsPackage = JSON.parse(readFileSync(join(srcDir, 'app/cards/package.json'), 'utf8'));
for (const [name, version] of Object.entries({
  '@hubspot/ui-extensions': '0.17.0',
  react: '18.3.1',
})) {
  if (cardsPackage.dependencies?.[name] !== version) {
    problems.push(`app/cards/package.json: ${name} must be ${version}`);
  }
}

if (problems.length > 0) {
  console.error(`HubSpot project check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('HubSpot project structure: ok (schema validation needs a HubSpot account)');
