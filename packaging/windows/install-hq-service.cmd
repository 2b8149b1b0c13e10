@echo off
chcp 65001 >nul
rem Headquarters' server as a Windows service (servicehall-hq), on
rem 127.0.0.1:8480 behind a TLS reverse proxy. Run as administrator from the
rem folder that holds servicehall-hq.exe. Remove with: servicehall-hq.exe service remove
setlocal
if not exist "%ProgramData%\servicehall-hq" mkdir "%ProgramData%\servicehall-hq"
icacls "%ProgramData%\servicehall-hq" /inheritance:r /grant:r "*S-1-5-18:(OI)(CI)F" "*S-1-5-32-544:(OI)(CI)F" >nul || exit /b 1
"%~dp0servicehall-hq.exe" service install --db "%ProgramData%\servicehall-hq\servicehall-hq.db" --listen 127.0.0.1:8480 || exit /b 1
