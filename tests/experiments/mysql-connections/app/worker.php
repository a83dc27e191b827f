<?php
// A long-lived worker like `php artisan queue:work`: connects once, waits idle for a job longer
// than the server's wait_timeout, then queries again. Prints what happened, one key=value a line.
// Usage: php worker.php IDLE_SECONDS   (credentials from the environment, as in query.php)
$idle = (int) ($argv[1] ?? 10);
$connect = fn () => new PDO(
    'mysql:host=127.0.0.1;port=' . getenv('DB_PORT') . ';dbname=' . getenv('DB_NAME'),
    getenv('DB_USER'),
    getenv('DB_PASSWORD'),
    [PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION],
);
$pdo = $connect();
echo 'first_query_connection=' . $pdo->query('SELECT CONNECTION_ID()')->fetchColumn() . "\n";
sleep($idle);
try {
    // mysqlnd also prints a warning on a dead connection; the exception is what Laravel sees.
    echo 'after_idle_connection=' . @$pdo->query('SELECT CONNECTION_ID()')->fetchColumn() . "\n";
    echo "after_idle_error=none\n";
} catch (PDOException $e) {
    // 2006 "MySQL server has gone away": Laravel's DetectsLostConnections matches this message and
    // reconnects, but only outside a transaction; workers avoid it by recycling (--max-time).
    echo 'after_idle_error=' . ($e->errorInfo[1] ?? $e->getCode()) . ' ' . preg_replace('/\s+/', ' ', $e->getMessage()) . "\n";
    $pdo = $connect();
    echo 'reconnected_connection=' . $pdo->query('SELECT CONNECTION_ID()')->fetchColumn() . "\n";
}
