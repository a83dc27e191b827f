<?php
// Must never run nor be handed out: only index.php is a PHP entry point.
echo 'secret.php ran';
