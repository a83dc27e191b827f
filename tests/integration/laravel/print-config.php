<?php
// Boots the Laravel app in the current directory as the console kernel does (env, the config
// cache when APP_CONFIG_CACHE's file exists, providers) and prints config(...) of each key given
// on the command line as one JSON object: the config the app will actually use.
require getcwd().'/vendor/autoload.php';
$app = require getcwd().'/bootstrap/app.php';
$app->make(Illuminate\Contracts\Console\Kernel::class)->bootstrap();
$out = ['__configurationIsCached' => $app->configurationIsCached()];
foreach (array_slice($argv, 1) as $key) {
    $out[$key] = config($key);
}
echo json_encode($out, JSON_UNESCAPED_SLASHES | JSON_PRETTY_PRINT), "\n";
