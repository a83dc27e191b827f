<?php
use Illuminate\Support\Facades\Broadcast;

// Any logged-in user may listen to a rehearsal channel; guests are refused (private channel).
Broadcast::channel('rehearsal.{token}', fn ($user, string $token) => $user !== null);
