// Runs before `npm run demo`, `npm test` and `npm run gallery` (npm's
// pre-scripts), on whatever Node the machine has: installs the locked
// dependencies — Node 24 among them — when they are missing or older than
// package-lock.json, and from Debian's packages the Redis server the queues
// and their tests need and the Chromium and CJK font the card gallery
// renders with.
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

const succeeds = (command) => {
  try {
    execSync(command, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};
// Debian packages and how to tell each is there: the queues and their tests
// need Redis; the card gallery (test/gallery, `npm run gallery`) needs a
// real Chromium and a CJK font for the Chinese cards.
const debianPackages = [
  ['redis-server', 'command -v redis-server'],
  ['chromium', 'test -x /usr/bin/chromium'],
  ['fonts-noto-cjk', 'dpkg -s fonts-noto-cjk'],
];
const missing = debianPackages.filter(([, check]) => !succeeds(check)).map(([name]) => name);
if (missing.length > 0) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error(
      `${missing.join(', ')} missing. Install with: sudo apt-get install -y ${missing.join(' ')}`,
    );
    process.exit(1);
  }
  console.log(`Installing ${missing.join(', ')} (apt-get)…`);
  execSync(
    `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${missing.join(' ')}`,
    { stdio: 'inherit', shell: '/bin/sh' },
  );
}
