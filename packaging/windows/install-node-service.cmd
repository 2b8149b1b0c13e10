@echo off
chcp 65001 >nul
rem The hall node as a Windows service (servicehall-node): starts at boot
rem before anyone logs in, restarts after a failure, stops cleanly.
rem Run as administrator from the folder that holds servicehall.exe, after
rem the hall is set up (servicehall setup --db "%ProgramData%\servicehall\hall.db" --file hall.json);
rem the HQ address and credential are in hq.json beside the database.
rem Remove with: servicehall.exe service remove
setlocal
if not exist "%ProgramData%\servicehall" mkdir "%ProgramData%\servicehall"
"%~dp0servicehall.exe" service install --db "%ProgramData%\servicehall\hall.db" --listen :8420 || exit /b 1
