import 'server-only';
// Operations: liveness and readiness, Prometheus metrics, and the registries other capabilities
// (the Redis cluster) plug into: shutdown hooks, readiness probes, metric collectors, cluster mode.
export {
  clusterMode,
  countDeliveredEvents,
  isDraining,
  registerMetricsCollector,
  registerReadinessProbe,
  registerShutdownHook,
  runShutdownHooks,
  setClusterModeSource,
  startDraining,
  type ClusterMode,
  type MetricSample,
  type MetricsCollector,
  type ProbeResult,
  type ReadinessProbe,
  type ShutdownHook,
} from './registry';
export { getLiveness, getReadiness, type CheckResult, type Liveness, type Readiness } from './readiness';
export { bearerMatches, initMetrics, METRICS_PATH, renderMetrics, serveMetrics, startMetricsServer, timeRequest, type MetricsAccess } from './metrics';
export { routeTemplates, type RouteTemplates } from './route-template';
