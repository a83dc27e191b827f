<?php
// Connects like Laravel's `mariadb` connection (config/database.php of the skeleton): PDO with
// PDO::MYSQL_ATTR_SSL_CA from the env and nothing else, so mysqlnd verifies the server's
// certificate and its name exactly as in the pods. One connection per name given.
// Usage: php app-tls-connect.php NAME...   (env: DB_PORT DB_DATABASE DB_USERNAME DB_PASSWORD MYSQL_ATTR_SSL_CA)
$failed = 0;
foreach (array_slice($argv, 1) as $host) {
    $dsn = sprintf('mysql:host=%s;port=%s;dbname=%s;charset=utf8mb4', $host, getenv('DB_PORT'), getenv('DB_DATABASE'));
    $options = array_filter([PDO::MYSQL_ATTR_SSL_CA => getenv('MYSQL_ATTR_SSL_CA')]);
    try {
        $pdo = new PDO($dsn, getenv('DB_USERNAME'), getenv('DB_PASSWORD'), $options + [PDO::ATTR_TIMEOUT => 5]);
        $row = $pdo->query("SELECT @@report_host AS server, (SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME = 'Ssl_version') AS tls")->fetch();
        printf("ok %s -> %s over %s\n", $host, $row['server'], $row['tls']);
    } catch (PDOException $e) {
        printf("FAILED %s: %s\n", $host, $e->getMessage());
        $failed++;
    }
}
exit($failed > 0 ? 1 : 0);
