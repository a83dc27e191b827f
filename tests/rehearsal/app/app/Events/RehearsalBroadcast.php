<?php
namespace App\Events;

use Illuminate\Broadcasting\PrivateChannel;
use Illuminate\Contracts\Broadcasting\ShouldBroadcastNow;

class RehearsalBroadcast implements ShouldBroadcastNow
{
    public function __construct(public string $token) {}

    public function broadcastOn(): PrivateChannel
    {
        return new PrivateChannel('rehearsal.'.$this->token);
    }

    public function broadcastAs(): string
    {
        return 'rehearsal.ping';
    }
}
