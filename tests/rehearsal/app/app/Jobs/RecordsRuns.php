<?php
namespace App\Jobs;

use Illuminate\Support\Facades\DB;

/** Writes a started and a finished row per run, and works for the given seconds in between. */
trait RecordsRuns
{
    public function __construct(public string $token, public float $seconds = 0) {}

    public function handle(): void
    {
        $this->record('started');
        // A signal (SIGTERM, SIGALRM) cuts usleep short: keep going until the time is spent.
        $end = microtime(true) + $this->seconds;
        while (($left = $end - microtime(true)) > 0) {
            usleep((int) (min($left, 1) * 1_000_000));
        }
        $this->record('finished');
    }

    private function record(string $phase): void
    {
        DB::table('rehearsal_runs')->insert([
            'token' => $this->token, 'job' => class_basename($this), 'phase' => $phase,
            'pid' => getmypid(), 'attempt' => $this->attempts(),
        ]);
    }
}
