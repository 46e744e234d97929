/**
 * prov's floors, bottom first: a module may import its own floor and the floors below it,
 * never one above (README, "Architecture"). `npm run lint:layers` checks it in CI.
 */
const FLOORS = [
  ['core'],
  ['template'],
  ['inventory', 'config'],
  ['transport'],
  ['facts', 'state'],
  ['modules'],
  ['playbook'],
  ['runner', 'lab'],
  ['verify', 'chaos', 'cloud-init'],
  ['report'],
  ['commands'],
  ['cli'],
];

const dir = (name) => `^src/${name}(/|\\.ts$)`;
const forbidden = FLOORS.flatMap((floor, level) => {
  const above = FLOORS.slice(level + 1).flat();
  if (above.length === 0) return [];
  return floor.map((name) => ({
    name: `${name}-imports-upwards`,
    comment: `src/${name} is on floor ${level}; it may not import ${above.join(', ')}`,
    severity: 'error',
    from: { path: dir(name) },
    to: { path: `^src/(${above.join('|')})(/|\\.ts$)` },
  }));
});

module.exports = {
  forbidden: [
    ...forbidden,
    {
      name: 'every-directory-has-a-floor',
      comment: 'a new directory under src/ must be placed in FLOORS above',
      severity: 'error',
      from: { path: '^src/', pathNot: `^src/(${FLOORS.flat().join('|')})(/|\\.ts$)|^src/cli\\.ts$` },
      to: {},
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/cli\\.ts$' },
  },
};
