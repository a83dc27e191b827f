<?php
namespace App\Jobs;

use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Queue\Queueable;

/** A job of the sync worker group's queues. */
class SyncGroupJob implements ShouldQueue
{
    use Queueable, RecordsRuns;
}
