// Every npm script runs on the Node that the `node` dev dependency pins; this
// says which one, and stops early on anything else.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  console.error(
    `KAM needs Node 24 LTS, this is ${process.version}. Run it through npm scripts or npx.`,
  );
  process.exit(1);
}
console.log(`node ${process.version}`);
