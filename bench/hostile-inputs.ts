// Worst cases for the parsers: each generator makes about `size` characters of output that once made a parser
// super-linear (issue 9), plus generic ones. Shared by the unit test (a generous bound) and `npm run bench`.
const fill = (unit: string, size: number): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);

export const HOSTILE_INPUTS: readonly { readonly name: string; readonly make: (size: number) => string }[] = [
  { name: 'row followed by a long run of spaces', make: (n) => `web-1           Guest/RAM/Usage/Free${' '.repeat(n)}x` },
  { name: 'many metric-like words on one line', make: (n) => fill(' Guest/RAM/Usage/Free', n) },
  { name: 'many lines without a metric', make: (n) => fill('x y z\n', n) },
  { name: '"6.1." followed by digits', make: (n) => `6.1.${'1'.repeat(n)}` },
  { name: 'digits and dots', make: (n) => fill('1.', n) },
  { name: 'unterminated quote, many lines', make: (n) => `"${fill('name\n', n)}` },
  { name: 'many quotes', make: (n) => fill('"', n) },
  { name: 'key="  with no closing quote, many lines', make: (n) => fill('k="v\n', n) },
  { name: 'lines without =', make: (n) => fill('abcdefgh\n', n) },
  { name: 'one long line without =', make: (n) => 'a'.repeat(n) },
  { name: 'backslashes', make: (n) => `description="${fill('\\', n)}` },
  { name: 'colons', make: (n) => fill(':', n) },
  { name: 'spaces', make: (n) => ' '.repeat(n) },
  { name: 'error lines', make: (n) => fill("VBoxManage: error: Error parsing guest memory balloon size 'x", n) },
];
