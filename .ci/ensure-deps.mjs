// Runs before `npm run demo` and `npm test` (npm's pre-scripts), on whatever
// Node the machine has: installs the locked dependencies — Node 24 among
// them — when they are missing or older than package-lock.json, and the
// Redis server the queues and their tests need, from Debian's packages.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale =
  !existsSync('node_modules/.bin/node') ||
  !existsSync(marker) ||
  statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  // npm install, not npm ci: it updates a working tree's node_modules in place
  // instead of deleting it first (.ci/run, on a clean clone, uses npm ci).
  console.log('Installing dependencies (npm install)…');
  execSync('npm install --no-audit --no-fund', { stdio: 'inherit' });
}

const hasRedis = () => {
  try {
    execSync('command -v redis-server', { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};
if (!hasRedis()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error('redis-server is missing. Install it with: sudo apt-get install -y redis-server');
    process.exit(1);
  }
  console.log('Installing redis-server (apt-get)…');
  execSync(
    'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server',
    {
      stdio: 'inherit',
      shell: '/bin/sh',
    },
  );
}
