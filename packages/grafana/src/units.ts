/**
 * Grafana's unit ids: every `id` of `getCategories()` in grafana/grafana
 * packages/grafana-data/src/valueFormats/categories.ts (main, with the i18n names; dashboard-linter's
 * panel-units-rule enumerates the same file). A unit Grafana does not know is shown as a plain
 * suffix, so a typo ('second', 'reqs') renders silently wrong: it is a compile-time error here.
 * Ids added in recent Grafanas (`eps`, `sishort`, `acres` …) render as suffixes on older ones; the
 * list is not split by version.
 */
import { closest } from '@kiln/model';

const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  Misc: ['none', 'string', 'short', 'sishort', 'percent', 'percentunit', 'humidity', 'dB', 'candela', 'hex0x', 'hex', 'sci', 'locale', 'pixel'],
  Acceleration: ['accMS2', 'accFS2', 'accG'],
  Angle: ['degree', 'radian', 'grad', 'arcmin', 'arcsec'],
  Area: ['areaM2', 'areaF2', 'areaMI2', 'acres', 'hectares'],
  Computation: ['flops', 'mflops', 'gflops', 'tflops', 'pflops', 'eflops', 'zflops', 'yflops'],
  Concentration: ['ppm', 'conppb', 'conngm3', 'conngNm3', 'conμgm3', 'conμgNm3', 'conmgm3', 'conmgNm3', 'congm3', 'congNm3', 'conmgdL', 'conmmolL'],
  Currency: [
    'currencyUSD', 'currencyGBP', 'currencyEUR', 'currencyJPY', 'currencyRUB', 'currencyUAH', 'currencyBRL', 'currencyDKK', 'currencyISK', 'currencyNOK',
    'currencySEK', 'currencyCZK', 'currencyCHF', 'currencyPLN', 'currencyBTC', 'currencymBTC', 'currencyμBTC', 'currencyZAR', 'currencyINR', 'currencyKRW',
    'currencyIDR', 'currencyPHP', 'currencyVND', 'currencyTRY', 'currencyMYR', 'currencyXPF', 'currencyBGN', 'currencyPYG', 'currencyUYU', 'currencyILS',
  ],
  Data: ['bytes', 'decbytes', 'bits', 'decbits', 'kbytes', 'deckbytes', 'mbytes', 'decmbytes', 'gbytes', 'decgbytes', 'tbytes', 'dectbytes', 'pbytes', 'decpbytes'],
  'Data rate': [
    'pps', 'binBps', 'Bps', 'binbps', 'bps', 'KiBs', 'Kibits', 'KBs', 'Kbits', 'MiBs', 'Mibits', 'MBs', 'Mbits', 'GiBs', 'Gibits', 'GBs', 'Gbits',
    'TiBs', 'Tibits', 'TBs', 'Tbits', 'PiBs', 'Pibits', 'PBs', 'Pbits',
  ],
  'Date & time': ['dateTimeAsIso', 'dateTimeAsIsoNoDateIfToday', 'dateTimeAsUS', 'dateTimeAsUSNoDateIfToday', 'dateTimeAsLocal', 'dateTimeAsLocalNoDateIfToday', 'dateTimeAsSystem', 'dateTimeFromNow'],
  Energy: [
    'watt', 'kwatt', 'megwatt', 'gwatt', 'mwatt', 'Wm2', 'voltamp', 'kvoltamp', 'voltampreact', 'kvoltampreact', 'watth', 'watthperkg', 'kwatth', 'kwattm',
    'mwatth', 'amph', 'kamph', 'mamph', 'joule', 'ev', 'amp', 'kamp', 'mamp', 'volt', 'kvolt', 'mvolt', 'dBm', 'mohm', 'ohm', 'kohm', 'Mohm', 'farad',
    'µfarad', 'nfarad', 'pfarad', 'ffarad', 'henry', 'mhenry', 'µhenry', 'lumens',
  ],
  Flow: ['flowgpm', 'flowcms', 'flowcfs', 'flowcfm', 'litreh', 'flowlpm', 'flowmlpm', 'lux'],
  Force: ['forceNm', 'forcekNm', 'forceN', 'forcekN'],
  'Hash rate': ['Hs', 'KHs', 'MHs', 'GHs', 'THs', 'PHs', 'EHs'],
  Mass: ['massmg', 'massg', 'masslb', 'masskg', 'masst'],
  Length: ['lengthmm', 'lengthin', 'lengthft', 'lengthm', 'lengthkm', 'lengthmi'],
  Pressure: ['pressurembar', 'pressurebar', 'pressurekbar', 'pressurepa', 'pressurehpa', 'pressurekpa', 'pressurehg', 'pressurepsi'],
  Radiation: ['radbq', 'radci', 'radgy', 'radrad', 'radsv', 'radmsv', 'radusv', 'radrem', 'radexpckg', 'radr', 'radsvh', 'radmsvh', 'radusvh'],
  'Rotational Speed': ['rotrpm', 'rothz', 'rotkhz', 'rotmhz', 'rotghz', 'rotrads', 'rotdegs'],
  Temperature: ['celsius', 'fahrenheit', 'kelvin'],
  Time: ['hertz', 'ns', 'µs', 'ms', 's', 'm', 'h', 'd', 'dtdurationms', 'dtdurations', 'dthms', 'dtdhms', 'timeticks', 'clockms', 'clocks'],
  Throughput: ['cps', 'ops', 'reqps', 'rps', 'wps', 'iops', 'eps', 'mps', 'recps', 'rowsps', 'cpm', 'opm', 'reqpm', 'rpm', 'wpm', 'epm', 'mpm', 'recpm', 'rowspm'],
  Velocity: ['velocityms', 'velocitykmh', 'velocitymph', 'velocityknot'],
  Volume: ['mlitre', 'litre', 'm3', 'Nm3', 'dm3', 'gallons'],
  Boolean: ['bool', 'bool_yes_no', 'bool_on_off'],
};

export const GRAFANA_UNITS: ReadonlySet<string> = new Set(Object.values(CATEGORIES).flat());

/**
 * Custom units Grafana formats itself (`getValueFormat`, and the unit field's documentation in
 * @grafana/schema): `suffix: req`, `prefix:$`, `time:YYYY-MM-DD`, `si:mF`, `count:req`, `currency:€`.
 * dashboard-linter rejects these; Kiln accepts them because Grafana renders them as written.
 */
const CUSTOM = /^(suffix|prefix|time|si|count|currency):.+$/;

/**
 * What people write instead: a metric's Prometheus base unit (`seconds`, `bytes`, `ratio`), or a
 * unit's display name. Only hints; never accepted.
 */
const INSTEAD: Readonly<Record<string, string>> = {
  seconds: 's',
  second: 's',
  sec: 's',
  milliseconds: 'ms',
  ratio: 'percentunit',
  '%': 'percent',
  requests: 'reqps',
  'req/s': 'reqps',
  'bytes/s': 'Bps',
  byte: 'bytes',
  count: 'short',
  number: 'none',
  meters: 'lengthm',
  volts: 'volt',
  amperes: 'amp',
  joules: 'joule',
  grams: 'massg',
};

/** Whether Grafana knows the unit (an id of its categories, or a custom unit). */
export function isGrafanaUnit(unit: string): boolean {
  return GRAFANA_UNITS.has(unit) || CUSTOM.test(unit);
}

/** The unit the author probably meant, for "did you mean". */
export function suggestUnit(unit: string): string | undefined {
  const lower = unit.toLowerCase();
  return INSTEAD[lower] ?? [...GRAFANA_UNITS].find((id) => id.toLowerCase() === lower) ?? closest(unit, [...GRAFANA_UNITS]);
}
