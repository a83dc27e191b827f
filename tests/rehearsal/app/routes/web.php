<?php
// Probe routes of the rehearsal (tests/rehearsal): each answers JSON about what it did.
use App\Jobs\BroadcastJob;
use App\Jobs\DefaultGroupJob;
use App\Jobs\HighGroupJob;
use App\Jobs\SyncGroupJob;
use App\Models\User;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Auth;
use Illuminate\Support\Facades\Cache;
use Illuminate\Support\Facades\DB;
use Illuminate\Support\Facades\Route;

// Writes through the primary, then reads back in the same request (sticky: the write connection).
Route::get('/rehearsal/db/write', function (Request $request) {
    DB::table('rehearsal_rows')->insert(['token' => $request->query('token')]);
    $row = DB::selectOne('SELECT token, @@report_host AS server FROM rehearsal_rows WHERE token = ?', [$request->query('token')]);
    return ['token' => $row?->token, 'server' => $row?->server];
});

// Reads only: the read connection (the replicas' Service).
Route::get('/rehearsal/db/read', function (Request $request) {
    $row = DB::selectOne('SELECT token, @@report_host AS server FROM rehearsal_rows WHERE token = ?', [$request->query('token')]);
    return ['token' => $row?->token, 'server' => $row?->server ?? DB::selectOne('SELECT @@report_host AS server')->server];
});

// The cache store and the session.
Route::get('/rehearsal/cache', function (Request $request) {
    Cache::put('rehearsal:'.$request->query('token'), $request->query('token'), 600);
    session(['rehearsal' => $request->query('token')]);
    return ['session' => session()->getId(), 'cached' => Cache::get('rehearsal:'.$request->query('token'))];
});

// Dispatches one job: ?job=high|default|sync|broadcast &queue= &token= &seconds=
Route::get('/rehearsal/dispatch', function (Request $request) {
    $token = (string) $request->query('token');
    $seconds = (float) $request->query('seconds', 0);
    $job = match ($request->query('job')) {
        'high' => new HighGroupJob($token, $seconds),
        'default' => new DefaultGroupJob($token, $seconds),
        'sync' => new SyncGroupJob($token, $seconds),
        'broadcast' => new BroadcastJob($token),
    };
    dispatch($job->onQueue((string) $request->query('queue')));
    return ['dispatched' => $token];
});

// Logs a user in (for the private channel) and hands out the CSRF token of the session.
Route::get('/rehearsal/login', function () {
    $user = User::firstOrCreate(['email' => 'rehearsal@example.invalid'], ['name' => 'rehearsal', 'password' => bcrypt(bin2hex(random_bytes(8)))]);
    Auth::login($user);
    return ['csrf' => csrf_token()];
});

// What the app believes the client address is.
Route::get('/rehearsal/ip', fn (Request $request) => ['ip' => $request->ip()]);

// Benchmark pages (tests/bench/web-servers.ts): a listing read from the replica, and the same
// listing from the cache store (one DB read per minute at most). Both go through the web
// middleware (session, cookies, CSRF) like a marketplace page.
$listing = fn () => DB::select('SELECT id, token FROM rehearsal_rows ORDER BY id DESC LIMIT 20');
Route::get('/bench/db-read', fn () => ['rows' => $listing()]);
Route::get('/bench/cached', fn () => ['rows' => Cache::remember('bench:listing', 60, $listing)]);
