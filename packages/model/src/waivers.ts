/**
 * Waivers: policy findings an environment knowingly lives with, for a while. Each names the policy,
 * optionally what it covers (a service, or an object Kiln runs itself), why, and the last day it
 * holds. The date waivers are checked against is passed in (`kiln --date`, default today), so the
 * output stays deterministic; a waiver past its date is an error, one that covers nothing a warning.
 */
import { z } from 'zod';
import { dnsLabel } from './checks.js';
import { ModelCode } from './codes.js';
import type { Issue, Severity } from './diagnostic.js';
import type { Environment } from './model.js';
import { closest, suggestName } from './names.js';
import { POLICIES, POLICY_IDS } from './policies.js';
import type { Policy, PolicyFinding, PolicyId, Where } from './policies.js';

type Path = readonly (string | number)[];

const ISO_DATE = z.iso.date();

/** A calendar date written `YYYY-MM-DD`. */
export function isIsoDate(text: string): boolean {
  return ISO_DATE.safeParse(text).success;
}

/**
 * A policy id: checked here, with "did you mean", and typed as the ids so that the editor completes
 * them and a typo is a type error, as a misspelled service in `overrides` is.
 */
const policyId = z
  .string()
  .superRefine((value, ctx) => {
    if ((POLICY_IDS as readonly string[]).includes(value)) return;
    const near = closest(value, POLICY_IDS);
    ctx.addIssue({ code: 'custom', message: `there is no policy '${value}'`, params: { code: ModelCode.UNKNOWN_POLICY, hint: `${near ? `did you mean '${near}'? ` : ''}policies: ${POLICY_IDS.join(', ')}` } });
  })
  .meta({ enum: [...POLICY_IDS] }) as unknown as z.ZodType<PolicyId, PolicyId>;

const date = z
  .string()
  .superRefine((value, ctx) => {
    if (!isIsoDate(value)) ctx.addIssue({ code: 'custom', message: `'${value}' is no calendar date`, params: { code: ModelCode.INVALID_VALUE, hint: "write it as YYYY-MM-DD, e.g. '2027-03-31'" } });
  })
  .meta({ format: 'date' });

export const waiverSchema = z
  .strictObject({
    /** The policy waived: `npx kiln policies` lists them. */
    policy: policyId,
    /** The service it covers; without `service` or `object`, every finding of the policy in the environment. */
    service: dnsLabel.optional(),
    /** The object Kiln runs itself that it covers, as `Kind/name`: `DaemonSet/node-sysctls-tuned`. */
    object: z.string().regex(/^[A-Z][A-Za-z0-9]*\/[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "write the object as Kind/name, e.g. 'DaemonSet/node-sysctls-tuned'").optional(),
    /** Why the environment lives with it until then; reviewers and `kiln policies` read it. */
    reason: z.string().trim().min(1),
    /** The last day it holds, `YYYY-MM-DD`; from the day after, it is an error. */
    expires: date,
  })
  .refine((waiver) => waiver.service === undefined || waiver.object === undefined, {
    message: 'a waiver covers a service or an object, not both',
    params: { code: ModelCode.INVALID_VALUE, hint: 'write one waiver for each' },
  });

export type WaiverInput = z.input<typeof waiverSchema>;
export type Waiver = Readonly<z.output<typeof waiverSchema>>;

/** `active`: it covers a finding; `expired`: its date has passed; `stale`: it covers nothing. */
export type WaiverStatus = 'active' | 'expired' | 'stale';

export interface WaiverReport {
  readonly waiver: Waiver;
  readonly status: WaiverStatus;
  /** The findings it covers. */
  readonly covers: readonly PolicyFinding[];
}

interface Evaluation {
  /** Findings no waiver covers, at their stage's severity. */
  readonly findings: readonly { readonly policy: Policy; readonly severity: Severity; readonly finding: PolicyFinding }[];
  /** Every waiver of the environment, in the author's order. */
  readonly waivers: readonly WaiverReport[];
}

function covers(waiver: Waiver, policy: Policy, finding: PolicyFinding): boolean {
  return waiver.policy === policy.id && (waiver.service === undefined || waiver.service === finding.service) && (waiver.object === undefined || waiver.object === finding.object);
}

/** Runs the policies of the environment's stage and matches their findings with its waivers. */
function evaluate(environment: Environment, today: string): Evaluation {
  // A date that is no date is a bug of the caller: the command line checks what people type.
  if (!isIsoDate(today)) throw new Error(`policies: '${today}' is no YYYY-MM-DD date`);
  const waivers = environment.waivers ?? [];
  const covered = waivers.map((): PolicyFinding[] => []);
  const findings: { policy: Policy; severity: Severity; finding: PolicyFinding }[] = [];
  for (const policy of POLICIES) {
    const severity = policy.stages[environment.stage];
    if (severity === undefined) continue;
    for (const finding of policy.check(environment)) {
      const index = waivers.findIndex((waiver) => covers(waiver, policy, finding));
      if (index >= 0) covered[index]?.push(finding);
      else findings.push({ policy, severity, finding });
    }
  }
  return {
    findings,
    waivers: waivers.map((waiver, i) => {
      const list = covered[i] ?? [];
      return { waiver, covers: list, status: waiver.expires < today ? 'expired' : list.length > 0 ? 'active' : 'stale' };
    }),
  };
}

/** Each waiver of an environment with its status on a date: what `kiln policies` lists. */
export function waiverReport(environment: Environment, today: string): readonly WaiverReport[] {
  return evaluate(environment, today).waivers;
}

/** What a waiver covers, as people read it. */
function scopeOf(scope: { readonly service?: string | undefined; readonly object?: string | undefined }): string {
  return scope.service !== undefined ? ` for service '${scope.service}'` : scope.object !== undefined ? ` for ${scope.object}` : '';
}

/**
 * The policy diagnostics of a resolved environment on a date: findings no waiver covers, expired
 * waivers (errors), and waivers that cover nothing (warnings). `locate` turns a finding's place into
 * a path into the input.
 */
export function checkPolicies(environment: Environment, today: string, locate: (where: Where) => Path): Issue[] {
  const { findings, waivers } = evaluate(environment, today);
  const services = new Set(environment.systems.flatMap((system) => system.services.map((service) => service.name)));
  const issues: Issue[] = findings.map(({ policy, severity, finding }) => {
    const scope = finding.service !== undefined ? `, service: '${finding.service}'` : finding.object !== undefined ? `, object: '${finding.object}'` : '';
    return {
      code: policy.code,
      severity,
      path: locate(finding.at),
      // A system shared by environments of several stages: the message says which one this is.
      message: `${finding.message} (policy ${policy.id}, ${severity === 'error' ? 'required' : 'expected'} in ${environment.stage}: environment ${environment.name})`,
      hint: `${finding.fix}; or waive it in ${environment.source}: waivers: [{ policy: '${policy.id}'${scope}, reason: '…', expires: 'YYYY-MM-DD' }]`,
    };
  });
  waivers.forEach(({ waiver, status, covers: list }, i) => {
    const what = `the waiver of ${waiver.policy}${scopeOf(waiver)}`;
    if (status === 'expired') {
      const first = list[0];
      issues.push({
        code: ModelCode.WAIVER_EXPIRED,
        path: ['waivers', i, 'expires'],
        message: `${what} expired on ${waiver.expires} (the date is ${today}); ${first ? `it covers: ${first.message}${list.length > 1 ? ` (and ${list.length - 1} more)` : ''}` : 'it covers nothing any more'}`,
        hint: first ? 'fix what it covers and remove the waiver, or, if the reason still holds, renew it: a later expires, and a reason that says why' : 'remove it',
      });
    } else if (status === 'stale') {
      const stage = POLICIES.find((policy) => policy.id === waiver.policy)?.stages[environment.stage];
      const why =
        stage === undefined
          ? `policy ${waiver.policy} does not apply in ${environment.stage}`
          : waiver.service !== undefined && !services.has(waiver.service)
            ? `there is no service '${waiver.service}' in this environment`
            : `nothing${scopeOf(waiver)} breaks policy ${waiver.policy}`;
      // A misspelled service is the likeliest reason a waiver that applies covers nothing.
      const misspelled = stage !== undefined && waiver.service !== undefined && !services.has(waiver.service);
      const hint = misspelled ? `${suggestName(waiver.service ?? '', services, 'services')}; or remove it` : 'remove it';
      issues.push({ code: ModelCode.WAIVER_STALE, severity: 'warning', path: ['waivers', i], message: `${what} covers nothing: ${why}`, hint });
    }
  });
  return issues;
}
