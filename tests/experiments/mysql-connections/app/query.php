<?php
// The web request of the experiment: what a Laravel request does with its DB connection, minus
// Laravel. DB_PERSISTENT comes from the php-fpm pool (env[...]), like the app's
// config/database.php `options` would set PDO::ATTR_PERSISTENT.
$persistent = getenv('DB_PERSISTENT') === '1';
$pdo = new PDO(
    'mysql:host=127.0.0.1;port=' . getenv('DB_PORT') . ';dbname=' . getenv('DB_NAME'),
    getenv('DB_USER'),
    getenv('DB_PASSWORD'),
    [PDO::ATTR_PERSISTENT => $persistent, PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION],
);
$connectionId = $pdo->query('SELECT CONNECTION_ID()')->fetchColumn();
// Hold the child busy for a moment so that concurrent requests spread over every child.
usleep(300000);
header('Content-Type: text/plain');
echo 'pid=' . getmypid() . ' connection=' . $connectionId . ' persistent=' . ($persistent ? 1 : 0) . "\n";
// No explicit close: the end of the request frees a non-persistent PDO (as in Laravel); a
// persistent one goes back to this child's pool and stays open on the server.
