<?php
namespace App\Jobs;

use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Queue\Queueable;

/** A job of the high worker group's queues. */
class HighGroupJob implements ShouldQueue
{
    use Queueable, RecordsRuns;
}
