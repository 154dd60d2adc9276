// One autocannon run, with percentiles computed from every response's own duration: autocannon's
// histogram keeps whole milliseconds, too coarse for an endpoint that answers in under one.
import autocannon from 'autocannon';

/**
 * @param {object} options
 * @param {string} options.url        the app's base URL
 * @param {object} options.request    an autocannon request (method, path, headers, setupRequest...)
 * @param {number} options.connections
 * @param {number} options.seconds
 * @param {number} [options.overallRate] requests per second over all connections
 */
export async function runLoad({ url, request, connections, seconds, overallRate }) {
  const durations = [];
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    ...(overallRate
      ? // Its correction for coordinated omission assumes a 1 ms interval whatever the rate;
        // the percentiles here come from measured durations anyway (see RESULTS.md).
        { overallRate, ignoreCoordinatedOmission: true }
      : {}),
    timeout: 10,
    requests: [request],
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) durations.push(responseTime);
  });
  const result = await instance;
  durations.sort((a, b) => a - b);
  const at = (p) =>
    durations[Math.min(durations.length - 1, Math.ceil((p / 100) * durations.length) - 1)] ?? NaN;
  const failures = result.non2xx + result.errors + result.timeouts;
  return {
    requestsPerSecond: durations.length / result.duration,
    ok: durations.length,
    failures,
    statusCodes: Object.fromEntries(
      Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
    ),
    p50: at(50),
    p97_5: at(97.5),
    p99: at(99),
  };
}
