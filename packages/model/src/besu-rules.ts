/**
 * Hyperledger Besu without a chain definition joins Ethereum mainnet (`--network` defaults to
 * `mainnet`): a validator of a private network would sync the public chain instead. A Besu service
 * must name its chain, by `--genesis-file` or `--network`, as a flag, its `BESU_` variable, or a key
 * of the configuration file it is given (`--config-file`, `BESU_CONFIG_FILE`).
 */
import { posix } from 'node:path';
import { ModelCode } from './codes.js';
import type { Issue } from './diagnostic.js';
import type { ParsedEnvironment } from './environment.js';
import { imageIn, parseImage } from './image.js';
import { own } from './records.js';
import { textOf } from './secret-ref.js';

type ParsedService = ParsedEnvironment['systems'][number]['services'][number];
type Path = (string | number)[];
type Services = ReadonlyMap<string, { readonly service: ParsedService; readonly path: Path }>;

export function isBesu(image: string): boolean {
  return /(^|\/)hyperledger\/besu$/.test(parseImage(image)?.repository ?? '');
}

export function checkBesuChain(env: ParsedEnvironment, services: Services): Issue[] {
  const issues: Issue[] = [];
  // Only Compose and Kubernetes mount the configuration files; a hosts target's machines have their own.
  const mounts = env.targets.compose !== undefined || env.targets.kubernetes !== undefined;
  for (const { service, path } of services.values()) {
    if (!isBesu(imageIn(env.images, service))) continue;
    const override = own(env.overrides, service.name);
    const argv = [...(service.command ?? []), ...(override?.args ?? service.args ?? [])].map(textOf);
    const variables = new Map(Object.entries({ ...service.env, ...override?.env }).map(([name, value]) => [name, typeof value === 'string' || typeof value === 'number' ? String(value) : undefined]));
    const flag = (option: string) => argv.flatMap((arg, i) => (arg === `--${option}` ? [argv[i + 1] ?? ''] : arg.startsWith(`--${option}=`) ? [arg.slice(option.length + 3)] : []));
    // The configuration files Besu is told to read, and the chain options in them.
    const config = service.config;
    const files = config ? { ...config.files, ...config.memberFiles, ...override?.configFiles } : {};
    const given = new Set([...flag('config-file'), variables.get('BESU_CONFIG_FILE') ?? '']);
    const keys = (option: string) =>
      Object.entries(files).flatMap(([name, text]) =>
        config && given.has(posix.join(config.mountPath, name)) ? [...textOf(text).matchAll(new RegExp(`^\\s*${option}\\s*=\\s*"?([^"\\n]*)"?`, 'gm'))].map((match) => match[1] ?? '') : [],
      );
    // Besu reads each option from `BESU_<OPTION>` too.
    const variable = (option: string) => variables.get(`BESU_${option.toUpperCase().replaceAll('-', '_')}`);
    const chain = (option: string) => {
      const value = variable(option);
      return [...flag(option), ...(value === undefined ? [] : [value]), ...keys(option)];
    };
    const genesis = chain('genesis-file');
    if (genesis.length === 0 && chain('network').length === 0) {
      issues.push({
        code: ModelCode.BESU_CHAIN_UNDEFINED,
        path,
        message: `Besu service '${service.name}' names no chain (genesis-file or network): Besu would join Ethereum mainnet`,
        hint: `give it the network's genesis (a config file, e.g. overrides.${service.name}.configFiles['genesis.json'], and genesis-file="<path>" in the file --config-file names, or --genesis-file=<path>), or a public network (--network=sepolia)`,
      });
      continue;
    }
    // A genesis in the configuration directory must be one of its files where Kiln mounts them.
    const missing = genesis.find((file) => mounts && config && posix.dirname(file) === posix.normalize(config.mountPath) && !Object.hasOwn(files, posix.basename(file)));
    if (missing !== undefined) {
      issues.push({
        code: ModelCode.BESU_CHAIN_UNDEFINED,
        path,
        message: `Besu service '${service.name}' reads its genesis from ${missing}, which is none of its configuration files: it would not start`,
        hint: `add the network's genesis: overrides.${service.name}.configFiles['${posix.basename(missing)}']`,
      });
    }
  }
  return issues;
}
