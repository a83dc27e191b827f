/**
 * The queue worker's PID 1: a small POSIX-sh loop around `php artisan queue:work`.
 *
 * queue:work exits 0 when it reaches --max-jobs or --max-time (deliberate recycling: leaks and
 * stale connections never live long). As the container's main process that clean exit would be
 * a container restart, and the kubelet backs restarts off exponentially (10 s doubling to 5 min,
 * reset only after 10 minutes of running): with --max-jobs the pod sits in CrashLoopBackOff
 * instead of working. The loop restarts the child in place instead:
 * - child exits 0 (recycling): start it again at once;
 * - child fails (exit code != 0): exit with that code, so the kubelet sees the failure, restarts
 *   the container with back-off and the crash-loop alert fires;
 * - SIGTERM/SIGINT (scale-down, rollout, drain): send SIGTERM to the child (a background
 *   child of a non-interactive sh ignores SIGINT, so TERM is what queue:work gets), wait for it to finish
 *   its current job (queue:work stops after it; terminationGracePeriodSeconds covers --timeout),
 *   and exit with the child's code without starting it again.
 * It runs under dash (Debian) or busybox sh (Alpine): POSIX only. The same text is tested with
 * the real sh in tests/integration/laravel.
 */
export const WORKER_SUPERVISOR_SCRIPT = `set -u
child=''
stopping=''
forward() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; fi
}
trap forward TERM INT
status=0
while [ -z "$stopping" ]; do
  "$@" &
  child=$!
  # A signal between the loop test and the start: the new child must stop too.
  if [ -n "$stopping" ]; then kill -TERM "$child" 2>/dev/null || true; fi
  # wait returns early (status > 128) when a signal arrives; wait again until the child is gone.
  status=0
  wait "$child" || status=$?
  while kill -0 "$child" 2>/dev/null; do
    status=0
    wait "$child" || status=$?
  done
  # The child may have ended before the loop looked: collect its own status (127: already taken).
  if [ "$status" -gt 128 ]; then
    last=0
    wait "$child" || last=$?
    if [ "$last" -ne 127 ]; then status=$last; fi
  fi
  child=''
  if [ -z "$stopping" ] && [ "$status" -ne 0 ]; then
    echo "worker-supervisor: $1 exited with $status" >&2
    exit "$status"
  fi
done
exit "$status"
`;

/** The process name the script runs as ($0), shown by ps and in /proc/1/cmdline. */
export const WORKER_SUPERVISOR_NAME = 'worker-supervisor';

/** `sh -c <script> worker-supervisor <child argv...>`: the container command of a worker. */
export function supervisedCommand(child: readonly string[]): string[] {
  return ['/bin/sh', '-c', WORKER_SUPERVISOR_SCRIPT, WORKER_SUPERVISOR_NAME, ...child];
}
