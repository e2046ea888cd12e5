// Lint: TypeScript's type-checked recommended rules (no `any`, no unused code, no floating or misused
// promises) for the Node side and the Vue UI, one code style with a line length (ESLint Stylistic), and
// the import boundaries of ARCHITECTURE.md ("Import rules"), enforced with eslint-plugin-boundaries.
import tseslint from 'typescript-eslint';
import stylistic from '@stylistic/eslint-plugin';
import pluginVue from 'eslint-plugin-vue';
import boundaries from 'eslint-plugin-boundaries';

// Every source file belongs to one element: a folder, matched from the project root (a file in no
// element and no file category fails boundaries/no-unknown-files: give a new folder its element here).
const ELEMENTS = [
  ['api', 'main/api'], ['apiserver', 'main/apiserver'], ['store', 'main/store'], ['client', 'main/client'],
  ['controllers', 'main/controllers'], ['scheduler', 'main/scheduler'], ['nodes', 'main/nodes'], ['hollow', 'main/hollow'],
  ['bridge', 'main/bridge'], ['cli', 'main/cli'], ['protocol', 'main/protocol'], ['ingress', 'main/ingress'], ['tunnel', 'main/tunnel'],
  ['agent', 'vm-images/agent'], ['images', 'vm-images/images'],
  ['renderer', 'renderer'], ['preload', 'preload'], ['tests', 'tests'], ['scripts', 'scripts'],
].map(([type, pattern]) => ({ type, pattern, partialMatch: false, stopMatching: true }));

// The files at main/'s root are no element's: the wiring (core.ts) and the entry points that start it
// (index.ts for Electron, cli.ts for the command line).
const FILE_CATEGORIES = [{ category: 'wiring', pattern: 'main/{core,index,cli}.ts' }];

// Files that a rule singles out.
const FILES = {
  core: 'main/core.ts',
  contract: 'main/bridge/contract.ts', // the UI contract, shared with the renderer and preload
  localClient: 'main/client/local.ts', // the in-process client
  bench: 'main/cli/bench-*.ts', // `flotilla bench …`
  kubeconfig: 'main/apiserver/kubeconfig.ts',
  artifacts: 'main/nodes/artifacts.ts',
  buildImages: 'vm-images/images/build-images.ts',
};

const element = (type, file) => ({ element: { type }, ...(file ? { file: { path: file } } : {}) });
const allow = (from, to) => ({ from: element(from), allow: { to: element(to) } });
const wiring = { file: { categories: 'wiring' } };
const coreFile = { file: { path: FILES.core } };

// One-way rules: an element may import only what is listed for it (imports inside an element are free).
// Type-only imports count like runtime ones: a type import still ties the importer to that code's shape.
// Later policies override earlier ones.
const POLICIES = [
  // npm packages and Node built-ins are allowed, except where restricted at the end.
  { allow: { to: { module: { origin: ['external', 'core'] } } } },

  // The shared base layers. api and protocol import nothing else from the project (nor does images).
  allow('store', 'api'),
  allow('client', ['api', 'protocol']),

  // The control plane. The scheduler and the controllers run side by side on the client: neither imports the other.
  allow('apiserver', ['api', 'store', 'protocol']),
  allow('scheduler', ['api', 'client', 'protocol']),
  allow('controllers', ['api', 'client', 'protocol']),
  allow('nodes', ['api', 'client', 'protocol']),
  allow('hollow', ['api', 'client', 'protocol']),
  allow('tunnel', ['api', 'client', 'protocol']), // connections from the control plane to pods: endpoint picking, tunnels, host listeners, port forwards
  allow('ingress', ['api', 'client', 'protocol', 'tunnel']), // the built-in ingress proxy: informers, and pods through the agents' tunnels
  {
    // core.ts wires everything; index.ts (Electron) and cli.ts start it, the bridge and the commands.
    from: wiring,
    allow: { to: [wiring, element(['api', 'store', 'apiserver', 'client', 'scheduler', 'controllers', 'nodes', 'hollow', 'bridge', 'cli', 'protocol', 'ingress', 'tunnel'])] },
  },

  // The UI and its server side: the renderer and preload see only the contract (and the pure api).
  // nodes: the UI's machine and image actions are node-manager operations; tunnel: the UI's port forwards
  allow('bridge', ['api', 'client', 'nodes', 'protocol', 'tunnel']),
  { from: element('renderer'), allow: { to: [element('bridge', FILES.contract), element('api')] } },
  { from: element('preload'), allow: { to: element('bridge', FILES.contract) } },

  // Commands: `flotilla serve` starts the core, the UI server and hollow nodes; node/images/down use the node manager.
  { from: element('cli'), allow: { to: [coreFile, element(['api', 'client', 'nodes', 'bridge', 'hollow', 'protocol'])] } },

  // The node: the agent reaches the control plane only through the API (main/client) and the shared protocol.
  allow('agent', ['api', 'client', 'protocol']),

  // Tests may reach anything; scripts generate from the API's schema, the protobuf schema and the CLI.
  { from: element('tests'), allow: { to: [element('*'), wiring] } },
  allow('scripts', ['api', 'apiserver', 'cli']),

  // Named exceptions, each with its reason.
  {
    // The in-process client IS the API server called directly (no HTTP): it needs the registry, the
    // request context, watches, API errors and the binding subresource.
    from: element('client', FILES.localClient),
    allow: { to: element('apiserver') },
  },
  {
    // The bridge is handed the running Core (its client, data dir, node manager); it never starts one.
    from: element('bridge'),
    allow: { to: coreFile, dependency: { kind: 'type' } },
  },
  {
    // Commands that talk to a running `flotilla serve` read its kubeconfig (server URL, CA, token).
    from: element('cli'),
    allow: { to: element('apiserver', FILES.kubeconfig) },
  },
  {
    // Benchmarks measure the parts themselves: the real agent's proxier (bench-proxy-sync) and its CRI
    // client and pod runtime config against the raw CRI floor (bench-pod-startup), the scheduler's
    // framework on its own (bench-scheduler).
    from: element('cli', FILES.bench),
    allow: { to: element(['agent', 'scheduler']) },
  },
  {
    // The node manager builds the demo images into the data dir on first use (artifacts.ts): the same
    // builder `npm run build` runs, from the host's busybox and a C pause; nothing is downloaded.
    from: element('nodes', FILES.artifacts),
    allow: { to: element('images', FILES.buildImages) },
  },

  // Restrictions that override the allowances above.
  { from: element('!tests'), disallow: { to: element('renderer') } }, // nothing imports the UI (its tests do)
  { from: element('bridge', FILES.contract), disallow: { to: element('!api') } }, // the contract is types over api
  { from: element('api'), disallow: { to: { module: { origin: 'core' } } } }, // pure: it also runs in the UI
  { from: element('api'), disallow: { to: { module: { origin: 'external', source: '!kubernetes-types' } } } },
  { from: element('renderer'), disallow: { to: { module: { origin: 'core' } } } }, // the UI runs in a browser
  {
    // The agent is one esbuild bundle run by plain Node on the node: no Electron, no native modules,
    // neither in it nor in the shared code it bundles (main/client, main/protocol; main/api is stricter).
    from: element(['agent', 'client', 'protocol']),
    disallow: { to: { module: { source: ['electron', 'better-sqlite3', 'ssh2'] } } },
  },
  // …and not the in-process client, which is the API server itself.
  { from: element('agent'), disallow: { to: element('client', FILES.localClient) } },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'vm-images/images/out/**', '**/*.generated.*'] },
  ...tseslint.configs.recommendedTypeChecked,
  ...pluginVue.configs['flat/recommended'],
  {
    // Type information from the two TypeScript projects: the Node side and the UI.
    languageOptions: {
      parserOptions: { project: ['./tsconfig.node.json', './tsconfig.web.json'], tsconfigRootDir: import.meta.dirname, extraFileExtensions: ['.vue'] },
    },
  },
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  // Plain JavaScript (build scripts, configs) is in no TypeScript project.
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    plugins: { '@stylistic': stylistic },
    rules: {
      // Long string literals (messages as Kubernetes words them) may run on; code and comments may not.
      '@stylistic/max-len': ['error', { code: 160, ignoreUrls: true, ignoreRegExpLiterals: true, ignoreStrings: true, ignoreTemplateLiterals: true }],
      '@stylistic/indent': ['error', 2, { SwitchCase: 1, ignoredNodes: ['ConditionalExpression'] }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/brace-style': ['error', '1tbs', { allowSingleLine: true }],
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/space-infix-ops': 'error',
      '@stylistic/comma-spacing': 'error',
      '@stylistic/arrow-parens': ['error', 'always'],
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1 }],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // An async function that does not await still returns a promise and turns throws into rejections,
      // which is what the Promise-returning interfaces it implements (bridge handlers, providers) expect.
      '@typescript-eslint/require-await': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['main/**', 'vm-images/**', 'renderer/**', 'preload/**', 'tests/**', 'scripts/**'],
    plugins: { boundaries },
    settings: {
      'boundaries/root-path': import.meta.dirname,
      'boundaries/elements': ELEMENTS,
      'boundaries/files': FILE_CATEGORIES,
      'import/resolver': { node: { extensions: ['.ts', '.mjs', '.js', '.vue', '.json'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', checkAllOrigins: true, checkUnknownLocals: true, policies: POLICIES }],
      // A new folder must be given an element (and rules) here before it can hold code.
      'boundaries/no-unknown-files': 'error',
    },
  },
);
