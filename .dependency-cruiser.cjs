/**
 * The layering of shared/docs/architecture.md, checked on every CI run.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'src-is-pure',
      comment:
        'src/ is the pure model: it may import only src/, zod and safe-regex2 (a pure regex checker; no Node built-ins, no I/O).',
      severity: 'error',
      from: { path: '^src/' },
      to: { pathNot: ['^src/', '^node_modules/zod/', '^node_modules/safe-regex2/'] },
    },
    {
      name: 'server-not-into-extension-or-test',
      comment: 'server/ may import src/ and its own files, never the cards or the tests.',
      severity: 'error',
      from: { path: '^server/' },
      to: { path: ['^extension/', '^test/'] },
    },
    {
      name: 'extension-is-self-contained',
      comment: 'The HubSpot project talks to the backend only through hubspot.fetch.',
      severity: 'error',
      from: { path: '^extension/' },
      to: { path: ['^src/', '^server/', '^test/'] },
    },
    {
      name: 'sandbox-only-for-demo-and-tests',
      comment: 'The local HubSpot sandbox is a stand-in; product code must not depend on it.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/sandbox/', '^server/demo/', '^server/bench/'] },
      to: { path: '^server/sandbox/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
