<?php
use Illuminate\Support\Facades\Artisan;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Schedule;

// The scheduled command: records each run, so the rehearsal sees the scheduler fire it.
Artisan::command('rehearsal:tick', function () {
    DB::table('rehearsal_runs')->insert(['token' => 'tick', 'job' => 'tick', 'phase' => 'finished', 'pid' => getmypid(), 'attempt' => 1]);
})->purpose('Rehearsal: prove the scheduler runs');

Schedule::command('rehearsal:tick')->everyMinute();
