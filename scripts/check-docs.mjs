// Every ```ts block of README.md and docs/*.md is type-checked against the source, and the runnable ones are run
// against the in-memory host. A documentation example that no longer compiles or runs fails `npm test`.
//
// Markers (the first word of the info string stays `ts`, so GitHub and typedoc still highlight the block):
//   ```ts          type-checked on its own (for code that needs a real VBoxManage or a real host)
//   ```ts run      type-checked and run on its own, with tsx; it must terminate within 60 s
//   <!-- snippets: one program -->   anywhere in a file: all of its ```ts blocks, in order, are ONE program, which
//                                    is type-checked and run (getting-started must paste as one file)
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
// Inside the repository (so that @types/node is found) but outside node_modules (where tsx maps no paths).
const out = join(root, '.cache', 'doc-snippets');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const files = [];
const runs = [];
for (const doc of docs) {
  const text = readFileSync(join(root, doc), 'utf8');
  const blocks = [...text.matchAll(/^```ts([^\n]*)\n([\s\S]*?)^```$/gmu)].map((m) => ({ info: m[1].trim(), code: m[2], line: text.slice(0, m.index).split('\n').length }));
  const stem = basename(doc, '.md');
  if (text.includes('<!-- snippets: one program -->')) {
    const file = join(out, `${stem}.program.mts`);
    writeFileSync(file, `// ${doc}: all ts blocks as one program\n${blocks.map((b) => `// ${doc}:${b.line}\n${b.code}`).join('\n')}\nexport {};\n`);
    files.push(file);
    runs.push({ file, where: doc });
    continue;
  }
  for (const b of blocks) {
    const file = join(out, `${stem}.${b.line}.mts`);
    writeFileSync(file, `// ${doc}:${b.line}\n${b.code}\nexport {};\n`);
    files.push(file);
    if (b.info === 'run') runs.push({ file, where: `${doc}:${b.line}` });
  }
}

const tsconfig = join(out, 'tsconfig.json');
writeFileSync(
  tsconfig,
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      types: ['node'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      paths: { 'vbox-balloon': [join(root, 'src', 'index.ts')], 'vbox-balloon/metrics': [join(root, 'src', 'metrics', 'index.ts')] },
    },
    files,
  }),
);
const bin = (name) => join(root, 'node_modules', '.bin', name);
try {
  execFileSync(bin('tsc'), ['-p', tsconfig], { stdio: 'inherit' });
} catch {
  console.error(`check-docs: a documentation example does not type-check (snippets in ${out})`);
  process.exit(1);
}
for (const { file, where } of runs) {
  try {
    execFileSync(bin('tsx'), ['--tsconfig', tsconfig, file], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000, cwd: out });
  } catch (e) {
    console.error(`check-docs: the example at ${where} failed to run: ${e.message}`);
    process.exit(1);
  }
}
console.log(`check-docs: ${files.length} snippets type-check, ${runs.length} ran against the in-memory host`);
