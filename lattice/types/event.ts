/** A CloudEvents 1.0 structured-mode event, as wasmCloud publishes on `wasmbus.evt.{lattice}.{type}`. */
export interface CloudEvent<T = Record<string, unknown>> {
  specversion: '1.0';
  type: string;
  source: string;
  id: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** Event types weft publishes (wasmCloud §2). */
export const EventType = {
  HostStarted: 'host_started',
  HostStopped: 'host_stopped',
  HostHeartbeat: 'host_heartbeat',
  LabelsChanged: 'labels_changed',
  ConfigSet: 'config_set',
  ConfigDeleted: 'config_deleted',
  ComponentScaled: 'component_scaled',
  ComponentScaleFailed: 'component_scale_failed',
  ProviderStarted: 'provider_started',
  ProviderStartFailed: 'provider_start_failed',
  ProviderStopped: 'provider_stopped',
  HealthCheckPassed: 'health_check_passed',
  HealthCheckFailed: 'health_check_failed',
  HealthCheckStatus: 'health_check_status',
  LinkdefSet: 'linkdef_set',
  LinkdefSetFailed: 'linkdef_set_failed',
  LinkdefDeleted: 'linkdef_deleted',
} as const;
export type EventType = (typeof EventType)[keyof typeof EventType];
