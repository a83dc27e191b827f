<?php
namespace App\Jobs;

use App\Events\RehearsalBroadcast;
use Illuminate\Contracts\Queue\ShouldQueue;
use Illuminate\Foundation\Queue\Queueable;

/** Broadcasts from a worker, as the app's jobs do. */
class BroadcastJob implements ShouldQueue
{
    use Queueable;

    public function __construct(public string $token) {}

    public function handle(): void
    {
        event(new RehearsalBroadcast($this->token));
    }
}
