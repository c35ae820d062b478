/**
 * `node with-rss.js SCRIPT ARGS…`: runs SCRIPT in this process, then prints this process's peak
 * resident memory to stderr as `maxrss-kib N`. For machines without `/usr/bin/time`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [script, ...args] = process.argv.slice(2);
if (script === undefined) throw new Error('usage: node with-rss.js SCRIPT [ARGS…]');
process.argv = [process.execPath, resolve(script), ...args];
process.on('exit', () => process.stderr.write(`\nmaxrss-kib ${process.resourceUsage().maxRSS}\n`));
await import(pathToFileURL(resolve(script)).href);
