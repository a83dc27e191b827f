<?php
namespace App\Jobs;

use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Queue\Queueable;

/** A job of the default worker group's queues. */
class DefaultGroupJob implements ShouldQueue
{
    use Queueable, RecordsRuns;
}
