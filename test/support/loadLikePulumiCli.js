// Loads index.ts the way the Pulumi CLI's Node.js host does (its vendored ts-node 7 with the
// project's TypeScript and tsconfig.json, type checking on), under mocks since no engine exists
// here, and prints the number of declared resources. Plain JS on purpose: tsx must not be the
// loader, or this would not test the CLI's. Usage: node loadLikePulumiCli.js <stack> (env: config JSON in LLPM_TEST_CONFIG).
const path = require("node:path");
const root = path.resolve(__dirname, "..", "..");
process.chdir(root);
const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [root] }));
require(path.join(pulumiDir, "vendor", "ts-node@7.0.1")).register({
  compiler: require.resolve("typescript", { paths: [root] }),
  project: "tsconfig.json",
  skipProject: false,
  compilerOptions: {},
});
const pulumi = require(pulumiDir);

async function main() {
  let declared = 0;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        declared++;
        const state = { ...args.inputs };
        if (args.type === "random:index/randomPassword:RandomPassword") state.result = pulumi.secret(`mock-${args.name}`);
        if (args.type === "docker:index/image:Image") state.repoDigest = args.inputs.imageName;
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    "llpm-fleet",
    process.argv[2],
    false,
  );
  pulumi.runtime.setAllConfig(JSON.parse(process.env.LLPM_TEST_CONFIG || "{}"));
  const exported = require(path.join(root, "index.ts"));
  await pulumi.runtime.disconnect();
  console.log(JSON.stringify({ declared, exports: Object.keys(exported) }));
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
