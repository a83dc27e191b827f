<?php
// The probe app's bootstrap: the skeleton's, plus the broadcasting channels and the contract's
// trust-no-proxy line (docs/app-contract.md, "nginx decides the client").
use Illuminate\Foundation\Application;
use Illuminate\Foundation\Configuration\Exceptions;
use Illuminate\Foundation\Configuration\Middleware;

return Application::configure(basePath: dirname(__DIR__))
    ->withRouting(
        web: __DIR__.'/../routes/web.php',
        commands: __DIR__.'/../routes/console.php',
        channels: __DIR__.'/../routes/channels.php',
        health: '/up',
    )
    ->withMiddleware(fn (Middleware $middleware) => $middleware->trustProxies(at: []))
    ->withExceptions(function (Exceptions $exceptions): void {
        //
    })->create();
