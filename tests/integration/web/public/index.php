<?php
// Front controller of the real-server test: a stand-in for Laravel's public/index.php that
// routes on the path, so nginx's try_files fallback is exercised exactly as in the pod.
declare(strict_types=1);

$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH) ?: '/';
$route = '/' . ltrim($_GET['r'] ?? $path, '/'); // ?r=bench works where there is no try_files

switch ($route) {
    case '/slow':
        // A request still running when php-fpm is told to stop (graceful shutdown check).
        // The wait resumes after a signal interrupts it (as a read() on a DB socket restarts),
        // so a graceful stop cannot shorten it.
        $seconds = (float) ($_GET['seconds'] ?? 3);
        $end = microtime(true) + $seconds;
        while (($left = $end - microtime(true)) > 0) {
            usleep((int) ceil($left * 1e6));
        }
        header('Content-Type: text/plain');
        echo "slow request finished after {$seconds}s\n";
        break;

    case '/bench':
        // A Laravel-like request: CPU work (hashing, standing in for routing, views and
        // serialization; 1500 rounds are about 5 ms) and a wait on I/O (DB and Redis round trips).
        $rounds = min(100000, (int) ($_GET['hashes'] ?? 1500));
        $hash = '';
        for ($i = 0; $i < $rounds; $i++) {
            $hash = hash('sha256', $hash . $i);
        }
        usleep(1000 * min(1000, (int) ($_GET['wait_ms'] ?? 40)));
        header('Content-Type: application/json');
        echo json_encode(['hash' => $hash]);
        break;

    case '/big':
        // Compressible output for the gzip check.
        header('Content-Type: text/plain');
        echo str_repeat("marketplace listing line\n", 2000);
        break;

    case '/upload':
        header('Content-Type: application/json');
        echo json_encode(['bytes' => strlen(file_get_contents('php://input'))]);
        break;

    default:
        $status = function_exists('opcache_get_status') ? opcache_get_status(false) : false;
        header('Content-Type: application/json');
        echo json_encode([
            'app' => 'web-servers-test',
            'uri' => $_SERVER['REQUEST_URI'] ?? null,
            'remote_addr' => $_SERVER['REMOTE_ADDR'] ?? null,
            // What the app would build URLs and trust decisions from (null: not passed at all).
            'request' => array_combine($names = [
                'HTTP_HOST', 'HTTPS', 'REQUEST_SCHEME', 'HTTP_X_FORWARDED_FOR', 'HTTP_X_FORWARDED_HOST',
                'HTTP_X_FORWARDED_PROTO', 'HTTP_X_FORWARDED_PORT', 'HTTP_X_FORWARDED_PREFIX', 'HTTP_X_REAL_IP', 'HTTP_FORWARDED',
            ], array_map(fn ($n) => array_key_exists($n, $_SERVER) ? $_SERVER[$n] : null, $names)),
            'script_filename' => $_SERVER['SCRIPT_FILENAME'] ?? null,
            'opcache_enabled' => is_array($status) && $status['opcache_enabled'],
            'ini' => [
                'memory_limit' => ini_get('memory_limit'),
                'max_execution_time' => ini_get('max_execution_time'),
                'post_max_size' => ini_get('post_max_size'),
                'upload_max_filesize' => ini_get('upload_max_filesize'),
                'expose_php' => ini_get('expose_php'),
                'opcache.validate_timestamps' => ini_get('opcache.validate_timestamps'),
                'opcache.memory_consumption' => ini_get('opcache.memory_consumption'),
            ],
            'env_from_pod' => getenv('WEB_TEST_POD_ENV'),
        ]);
}
