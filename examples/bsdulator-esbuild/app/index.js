// A small app for the demo: bundled by the FreeBSD build of esbuild.
import { greet } from './greet.js';
import { sum } from './math.js';

console.log(greet('Lochs'), 'sum =', sum([1, 2, 3, 4]));
