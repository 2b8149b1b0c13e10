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
rem The data (customers' contacts in complaints, the HQ credential) is for
rem SYSTEM and administrators only: ProgramData lets every user read.
icacls "%ProgramData%\servicehall" /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" >nul || exit /b 1
"%~dp0servicehall.exe" service install --db "%ProgramData%\servicehall\hall.db" --listen :8420 || exit /b 1
