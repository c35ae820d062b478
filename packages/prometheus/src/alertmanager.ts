/**
 * Alert routing. Severities go to the receivers the environment names; SLO alerts of the page tier
 * inhibit the ticket tier of the same SLO, so one burn is one notification. For compose and hosts
 * targets this is `alertmanager/alertmanager.yml` (secrets read from files, never inline); for
 * Kubernetes an AlertmanagerConfig whose secrets come from the ExternalSecrets Kiln emits.
 */
import type { Environment, Receiver } from '@kiln/model';

type Alerting = NonNullable<Environment['monitoring']['alerting']>;
const SEVERITIES = ['critical', 'warning', 'info'] as const;

/**
 * Where Alertmanager finds secret files: Compose mounts its secrets under /run/secrets (the Compose
 * file declares them), a host keeps them beside the configuration. One file per secret and key,
 * named as Compose names secrets: `<secret>`, or `<secret>.<key>` for another key than `value`.
 */
export const SECRETS_DIR = { compose: '/run/secrets', hosts: '/etc/alertmanager/secrets' } as const;

const INHIBIT = { source: { slo_tier: 'page' }, target: { slo_tier: 'ticket' }, equal: ['slo'] };

export function alertmanagerConfig(alerting: Alerting, target: keyof typeof SECRETS_DIR): Record<string, unknown> {
  const secretFile = (ref: { secret: string; key: string }) => `${SECRETS_DIR[target]}/${ref.key === 'value' ? ref.secret : `${ref.secret}.${ref.key}`}`;
  return {
    route: {
      receiver: alerting.routes.info,
      group_by: alerting.groupBy,
      routes: SEVERITIES.map((severity) => ({ matchers: [`severity="${severity}"`], receiver: alerting.routes[severity] })),
    },
    inhibit_rules: [{ source_matchers: [`slo_tier="${INHIBIT.source.slo_tier}"`], target_matchers: [`slo_tier="${INHIBIT.target.slo_tier}"`], equal: INHIBIT.equal }],
    receivers: alerting.receivers.map((receiver) => fileReceiver(receiver, secretFile)),
  };
}

function fileReceiver(receiver: Receiver, secretFile: (ref: { secret: string; key: string }) => string): Record<string, unknown> {
  return {
    name: receiver.name,
    ...(receiver.pagerduty && { pagerduty_configs: [{ routing_key_file: secretFile(receiver.pagerduty.routingKey) }] }),
    ...(receiver.slack && { slack_configs: [{ api_url_file: secretFile(receiver.slack.url), channel: receiver.slack.channel, send_resolved: true }] }),
    ...(receiver.webhook && {
      webhook_configs: [{ url: receiver.webhook.url, ...(receiver.webhook.token && { http_config: { authorization: { credentials_file: secretFile(receiver.webhook.token) } } }) }],
    }),
  };
}

/** The AlertmanagerConfig spec (monitoring.coreos.com/v1alpha1): the operator scopes it to the namespace. */
export function alertmanagerConfigSpec(alerting: Alerting): Record<string, unknown> {
  const equal = (name: string, value: string) => ({ name, value, matchType: '=' });
  const secret = (ref: { secret: string; key: string }) => ({ name: ref.secret, key: ref.key });
  return {
    route: {
      receiver: alerting.routes.info,
      groupBy: alerting.groupBy,
      routes: SEVERITIES.map((severity) => ({ matchers: [equal('severity', severity)], receiver: alerting.routes[severity] })),
    },
    inhibitRules: [{ sourceMatch: [equal('slo_tier', 'page')], targetMatch: [equal('slo_tier', 'ticket')], equal: INHIBIT.equal }],
    receivers: alerting.receivers.map((receiver) => ({
      name: receiver.name,
      ...(receiver.pagerduty && { pagerdutyConfigs: [{ routingKey: secret(receiver.pagerduty.routingKey) }] }),
      ...(receiver.slack && { slackConfigs: [{ apiURL: secret(receiver.slack.url), channel: receiver.slack.channel, sendResolved: true }] }),
      ...(receiver.webhook && {
        webhookConfigs: [{ url: receiver.webhook.url, ...(receiver.webhook.token && { httpConfig: { authorization: { credentials: secret(receiver.webhook.token) } } }) }],
      }),
    })),
  };
}
