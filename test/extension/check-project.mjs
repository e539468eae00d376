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
// leaves to the build: card and settings entrypoints exist, every hsmeta has
// the type HubSpot's templates write, and each folder with a UI entry (cards,
// settings, pages) has its package.json with the pinned UI packages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  if (cards.length !== 5) problems.push(`[${profile}] expected 5 cards, found ${cards.length}`);
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

// The types HubSpot's 2026.03 templates write. The offline parser also accepts
// some it maps to the same component (e.g. "pages" for "page"), which the
// upload may not: hold every hsmeta to the template's spelling.
const TEMPLATE_TYPES = {
  app: 'app',
  cards: 'card',
  settings: 'settings',
  webhooks: 'webhooks',
  pages: 'page',
};
// Every folder with a UI entry builds on its own, as HubSpot's templates do:
// its package.json pins the same UI packages (one React for code the entries share).
const UI_PACKAGES = { '@hubspot/ui-extensions': '0.17.0', react: '18.3.1' };
const appDir = join(srcDir, 'app');
for (const folder of readdirSync(appDir, { withFileTypes: true })) {
  const dir = join(appDir, folder.isDirectory() ? folder.name : '');
  const metas = folder.isDirectory()
    ? readdirSync(dir).filter((name) => name.endsWith('-hsmeta.json'))
    : folder.name.endsWith('-hsmeta.json')
      ? [folder.name]
      : [];
  const where = folder.isDirectory() ? folder.name : 'app';
  for (const name of metas) {
    const { type } = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    const expected = TEMPLATE_TYPES[where];
    if (type !== expected) {
      problems.push(
        `app/${folder.isDirectory() ? `${where}/` : ''}${name}: type "${type}", HubSpot's template writes "${expected}"`,
      );
    }
  }
  if (!folder.isDirectory() || !['cards', 'settings', 'pages'].includes(where)) continue;
  const packagePath = join(dir, 'package.json');
  if (!existsSync(packagePath)) {
    problems.push(`app/${where}/ has no package.json (HubSpot's ${where} template ships one)`);
    continue;
  }
  const manifest = JSON.parse(readFileSync(packagePath, 'utf8'));
  for (const [name, version] of Object.entries(UI_PACKAGES)) {
    if (manifest.dependencies?.[name] !== version) {
      problems.push(`app/${where}/package.json: ${name} must be ${version}`);
    }
  }
}

if (problems.length > 0) {
  console.error(`HubSpot project check failed:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('HubSpot project structure: ok (schema validation needs a HubSpot account)');
