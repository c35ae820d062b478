/**
 * The one YAML serializer. Every string must read back as that string in each reader of the
 * output: Kubernetes (go-yaml, YAML 1.1), docker-compose 1.29 (PyYAML, YAML 1.1 with its own
 * resolvers) and anything YAML 1.2 (the `yaml` package's default, Argo CD's tooling).
 *
 * - Written as YAML 1.1, so `on`, `yes`, `y`, `0755`, `1:20` and `2024-01-01` are quoted (the
 *   `yaml` package's 1.1 schema), and also quoted where YAML 1.2's core schema (`1e3`, `0o17`) or
 *   PyYAML's resolvers (`=`, the value key; `<<`, the merge key) would read a plain scalar as
 *   something else: the `compat` tags below.
 * - A string holding a character a reader may drop, refuse or read as a line break (C0 and C1
 *   controls, DEL, tab, NEL, U+2028/U+2029, a BOM, U+FFFE/U+FFFF, a lone surrogate) is written
 *   double-quoted on one line with each such character escaped (`\x85`, `\u2028`): PyYAML rejects
 *   the whole file if one appears raw, and YAML 1.1 readers break lines at NEL and U+2028.
 * - No line folding (long PromQL), no anchors for shared objects.
 */
import { Document, Schema } from 'yaml';
import type { ScalarTag, Tags } from 'yaml';
import { stringTag } from 'yaml/util';

/** PyYAML's implicit resolvers (resolver.py), which differ from the `yaml` package's 1.1 schema. */
const PYYAML: readonly [tag: string, test: RegExp][] = [
  ['bool', /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/],
  ['float', /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/],
  ['int', /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/],
  ['merge', /^<<$/],
  ['null', /^(?:~|null|Null|NULL|)$/],
  ['timestamp', /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/],
  ['value', /^=$/],
];

const pyyamlTags: ScalarTag[] = PYYAML.map(([tag, test]) => ({ tag: `tag:yaml.org,2002:${tag}`, default: true, test, resolve: (text: string) => text }));

/** Plain scalars that must not be written plain: what YAML 1.2 core and PyYAML read as no string. */
const compat: Tags = [...new Schema({ schema: 'core' }).tags, ...pyyamlTags];

/** Characters no reader may see raw (and tab, which PyYAML refuses in places): escaped in double quotes. */
const UNSAFE = /[\u0000-\u0008\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const ESCAPED = new RegExp(`["\\\\\n]|${UNSAFE.source}`, 'g');
const SHORT: Readonly<Record<string, string>> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };

/** `"…"` on one line, with `\xNN` and `\uNNNN` escapes every YAML reader knows (1.1, 1.2, PyYAML). */
export function doubleQuoted(text: string): string {
  const escape = (ch: string): string => {
    const code = ch.charCodeAt(0);
    return SHORT[ch] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  };
  return `"${text.replace(ESCAPED, escape)}"`;
}

const safeString: ScalarTag = {
  ...stringTag,
  stringify(item, ctx, onComment, onChompKeep) {
    const text = String(item.value);
    return UNSAFE.test(text) ? doubleQuoted(text) : (stringTag.stringify?.(item, ctx, onComment, onChompKeep) ?? '');
  },
};

export function toYaml(data: unknown): string {
  const document = new Document(data, {
    version: '1.1',
    aliasDuplicateObjects: false,
    compat,
    // Kiln writes no merge keys: without the 1.1 schema's merge tag, a string `<<` is a string (quoted, see compat).
    customTags: (tags) => tags.flatMap((tag) => (tag === stringTag ? [safeString] : typeof tag === 'object' && tag.tag === 'tag:yaml.org,2002:merge' ? [] : [tag])),
  });
  return document.toString({ lineWidth: 0, minContentWidth: 0, indentSeq: true, singleQuote: false });
}
