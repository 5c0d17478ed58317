#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeAll {
    $script:ModulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $ModulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    $script:Samples = Join-Path $PSScriptRoot '..' '..' 'samples'
    $script:Manifest = Import-PowerShellDataFile (Join-Path $ModulePath 'SnowPgMigration.psd1')
    . (Join-Path $PSScriptRoot 'TableView.ps1')

    # Test-SfPgConfig reads the Snowflake key: the sample's key path does not exist here, so point it at a real key.
    $script:SavedRsaKey = $env:SNOWFLAKE_RSA_KEY
    $script:KeyFile = Join-Path ([IO.Path]::GetTempPath()) "sfpg-pester-$([guid]::NewGuid().ToString('N')).p8"
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    Set-Content -LiteralPath $KeyFile -Value $rsa.ExportPkcs8PrivateKeyPem()
    $rsa.Dispose()
    $env:SNOWFLAKE_RSA_KEY = $KeyFile
}

AfterAll {
    Remove-Module SnowPgMigration -ErrorAction SilentlyContinue
    $env:SNOWFLAKE_RSA_KEY = $SavedRsaKey
    Remove-Item -LiteralPath $KeyFile -ErrorAction SilentlyContinue
}

Describe 'The module' {
    It 'exports exactly the cmdlets its manifest lists, and nothing else' {
        $module = Get-Module SnowPgMigration
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($Manifest.CmdletsToExport | Sort-Object)
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
    }

    It 'carries the version of Directory.Build.props, the one its assemblies carry' {
        $props = [xml](Get-Content -Raw (Join-Path $PSScriptRoot '..' '..' 'Directory.Build.props'))
        $version = $props.SelectSingleNode('/Project/PropertyGroup/Version').InnerText
        $Manifest.ModuleVersion | Should -Be $version
        (Get-Module SnowPgMigration).Version.ToString() | Should -Be $version
        [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModulePath 'SnowPgMigration.PowerShell.dll')).Version.ToString(3) | Should -Be $version
    }

    It 'uses approved verbs only' {
        $approved = (Get-Verb).Verb
        Get-Command -Module SnowPgMigration | ForEach-Object { $approved | Should -Contain $_.Verb }
    }

    It 'has a default table view for <_>' -ForEach @('SfPgRun', 'SfPgRunStatus', 'SfPgTableStatus', 'SfPgChunk', 'SfPgConfigFinding', 'SfPgIntegrityFinding', 'SfPgPlan', 'SfPgRunRemoval', 'SfPgStatusSchema') {
        Get-FormatData -TypeName "SnowPgMigration.PowerShell.Models.$_" | Should -Not -BeNullOrEmpty
    }

    It 'loads the engine and Npgsql in their own load context, not in PowerShell''s' {
        Test-SfPgConfig -Path (Join-Path $Samples 'config.json') -EnvFile (Join-Path $Samples 'sample.env') -Quiet | Out-Null
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'SnowPgMigration.Engine' }
        $engine | Should -Not -BeNullOrEmpty
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine[0]).Name | Should -Be 'DependencyLoadContext'
        $engine[0].Location | Should -BeLike '*Dependencies*'
    }

    It 'leaves the process-wide Npgsql switch as it found it, for other modules'' Npgsql' {
        # Loads the engine and its Npgsql: a connection that fails at once.
        { Get-SfPgRun -ConnectionString 'Host=127.0.0.1;Port=1;Database=none;Username=nobody;Timeout=1' -ErrorAction Stop } | Should -Throw
        [AppDomain]::CurrentDomain.GetAssemblies().GetName().Name | Should -Contain 'Npgsql'
        $enabled = $false
        $null = [AppContext]::TryGetSwitch('Npgsql.DisableDateTimeInfinityConversions', [ref] $enabled)
        $enabled | Should -BeFalse
    }

    It 'unhooks its assembly resolver when the module is removed, and hooks it once when imported again' {
        function Get-EngineResolverCount {
            $field = [System.Runtime.Loader.AssemblyLoadContext].GetField('_resolving', [System.Reflection.BindingFlags] 'NonPublic, Instance')
            $handlers = $field.GetValue([System.Runtime.Loader.AssemblyLoadContext]::Default)
            @(if ($handlers) { $handlers.GetInvocationList() | Where-Object { $_.Method.DeclaringType.Name -eq 'ModuleInitializer' } }).Count
        }
        Get-EngineResolverCount | Should -Be 1
        Remove-Module SnowPgMigration
        Get-EngineResolverCount | Should -Be 0
        Import-Module (Join-Path $ModulePath 'SnowPgMigration.psd1') -Force
        Import-Module (Join-Path $ModulePath 'SnowPgMigration.psd1') -Force
        Get-EngineResolverCount | Should -Be 1
    }

    It 'needs no framework newer than .NET 8 (PowerShell 7.4) in any assembly it ships' {
        $tooNew = foreach ($file in Get-ChildItem $ModulePath -Recurse -Filter *.dll) {
            $stream = [System.IO.File]::OpenRead($file.FullName)
            try {
                $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
                if (-not $pe.HasMetadata) { continue }
                $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
                foreach ($handle in $reader.AssemblyReferences) {
                    $reference = $reader.GetAssemblyReference($handle)
                    $name = $reader.GetString($reference.Name)
                    # The framework's own assemblies carry the framework's major version.
                    if ($name -in 'System.Runtime', 'netstandard', 'System.Private.CoreLib' -and $reference.Version.Major -gt 8) {
                        "$($file.Name) -> $name $($reference.Version)"
                    }
                }
                $pe.Dispose()
            }
            finally {
                $stream.Dispose()
            }
        }
        $tooNew | Should -BeNullOrEmpty
    }

    It 'ships no test infrastructure: no emulator, sandbox, ASP.NET Core, PostgreSQL cluster or Azurite management' {
        $shipped = @(Get-ChildItem $ModulePath -Recurse -File | ForEach-Object Name)
        $shipped | Should -Contain 'SnowPgMigration.Engine.dll'
        $shipped | Where-Object { $_ -match '^(SnowPgMigration\.(Emulator|LocalPostgres|LocalAzurite|Sandbox)|sfpg-sandbox|Microsoft\.AspNetCore)' } | Should -BeNullOrEmpty
        $stream = [System.IO.File]::OpenRead((Join-Path $ModulePath 'Dependencies' 'SnowPgMigration.Engine.dll'))
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $types = foreach ($handle in $reader.TypeDefinitions) { $reader.GetString($reader.GetTypeDefinition($handle).Name) }
            $pe.Dispose()
        }
        finally {
            $stream.Dispose()
        }
        $types | Should -Contain 'ErrorCatalog'
        $types | Should -Not -Contain 'LocalPostgresCluster'
        $types | Should -Not -Contain 'AzuriteServer'
    }

    It 'names no type of a dependency in the cmdlets assembly, only the engine''s' {
        # A cmdlet that touches, say, an NpgsqlDataSource makes PowerShell's context load Npgsql,
        # which is only in Dependencies/: FileNotFoundException in a real host.
        $dependencies = Get-ChildItem (Join-Path $ModulePath 'Dependencies' '*.dll') |
            ForEach-Object BaseName | Where-Object { $_ -ne 'SnowPgMigration.Engine' }
        $stream = [System.IO.File]::OpenRead((Join-Path $ModulePath 'SnowPgMigration.PowerShell.dll'))
        try {
            $pe = [System.Reflection.PortableExecutable.PEReader]::new($stream)
            $reader = [System.Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $leaks = foreach ($handle in $reader.TypeReferences) {
                $type = $reader.GetTypeReference($handle)
                $scope = $type.ResolutionScope
                while ($scope.Kind -eq 'TypeReference') {
                    $scope = $reader.GetTypeReference([System.Reflection.Metadata.TypeReferenceHandle]$scope).ResolutionScope
                }
                if ($scope.Kind -ne 'AssemblyReference') { continue }
                $assembly = $reader.GetString($reader.GetAssemblyReference([System.Reflection.Metadata.AssemblyReferenceHandle]$scope).Name)
                if ($assembly -in $dependencies) { "$assembly : $($reader.GetString($type.Namespace)).$($reader.GetString($type.Name))" }
            }
            $pe.Dispose()
        }
        finally {
            $stream.Dispose()
        }
        $dependencies | Should -Contain 'Npgsql'
        $leaks | Should -BeNullOrEmpty
    }
}

Describe 'Test-SfPgConfig' {
    It 'returns every finding of the sample with mistakes, with codes and paths' {
        $findings = Test-SfPgConfig -Path (Join-Path $Samples 'config-with-mistakes.json') -EnvFile (Join-Path $Samples 'sample.env')
        $errors = @($findings | Where-Object Severity -eq 'Error')
        $errors.Count | Should -BeGreaterOrEqual 5
        $errors.Code | Should -Contain 'SFPG1008'
        $errors.Path | Should -Contain 'parallel_threads'
        $findings[0].PSObject.TypeNames[0] | Should -Be 'SnowPgMigration.PowerShell.Models.SfPgConfigFinding'
        Assert-TableView $findings -Width 120 -KeyColumn Severity, Code, Path, Message
    }

    It 'answers $true or $false with -Quiet' {
        Test-SfPgConfig -Path (Join-Path $Samples 'config.json') -EnvFile (Join-Path $Samples 'sample.env') -Quiet | Should -BeTrue
        Test-SfPgConfig -Path (Join-Path $Samples 'config-with-mistakes.json') -EnvFile (Join-Path $Samples 'sample.env') -Quiet | Should -BeFalse
    }

    It 'reads the Snowflake key locally, as sfpg validate does: a missing key file is an error on snowflake.rsa_key' {
        $env:SNOWFLAKE_RSA_KEY = Join-Path $TestDrive 'no-such-key.p8'
        try {
            $finding = Test-SfPgConfig -Path (Join-Path $Samples 'config.json') -EnvFile (Join-Path $Samples 'sample.env') |
                Where-Object Code -eq 'SFPG3015'
            $finding.Path | Should -Be 'snowflake.rsa_key'
            $finding.Severity | Should -Be 'Error'
        }
        finally {
            $env:SNOWFLAKE_RSA_KEY = $KeyFile
        }
    }

    It 'takes paths from the pipeline' {
        $results = Get-ChildItem (Join-Path $Samples '*.json') | Test-SfPgConfig -EnvFile (Join-Path $Samples 'sample.env') -Quiet
        @($results).Count | Should -Be @(Get-ChildItem (Join-Path $Samples '*.json')).Count
    }
}

Describe 'Errors without a database' {
    It 'offers the three ways to name the status database as parameter sets' {
        (Get-Command Get-SfPgRun).ParameterSets.Name | Should -Be @('Config', 'ConnectionString', 'Connection')
        (Get-Command Get-SfPgRun).DefaultParameterSet | Should -Be 'Config'
    }

    It 'stops with SFPG4304 and a connection category when the database is unreachable' {
        $err = { Get-SfPgRun -ConnectionString 'Host=127.0.0.1;Port=1;Database=none;Username=nobody;Timeout=3' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SFPG4304,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
    }

    It 'stops Start-SfPgMigration with the config''s first error code and the file as target' {
        $err = { Start-SfPgMigration -ConfigPath (Join-Path $Samples 'config-with-mistakes.json') -EnvFile (Join-Path $Samples 'sample.env') -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'SFPG1*,SnowPgMigration.PowerShell.Commands.StartSfPgMigrationCommand'
        $err.Exception.Message | Should -BeLike '*error(s)*'
    }

    It 'stops with SFPG4302 when the config''s sources write to different databases and none is named' {
        $config = Join-Path $TestDrive 'two-databases.json'
        (Get-Content (Join-Path $Samples 'config.json') -Raw) -replace '"sources": \[', @'
"sources": [
    { "source_name": "finance", "source_sf_database": "F", "source_sf_schema": "S", "target_pg_database": "finance_db", "target_pg_schema": "public",
      "tables": [ { "source": "LEDGER", "target": "ledger" } ] },
'@ | Set-Content $config
        Copy-Item (Join-Path $Samples 'sample.env') (Join-Path $TestDrive 'sample.env')
        { Get-SfPgRun -ConfigPath $config -ErrorAction Stop } | Should -Throw -ErrorId 'SFPG4302,*'
    }

    It 'refuses a status that does not exist before anything runs' {
        { Get-SfPgChunk -ConnectionString 'Host=h' -Status 'broken' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }

    It 'names the PostgreSQL credential -Credential on every cmdlet, with the alias -PostgresCredential' {
        $withCredential = Get-Command -Module SnowPgMigration | Where-Object { $_.Parameters.Values.ParameterType -contains [pscredential] }
        $withCredential.Name | Should -Contain 'Start-SfPgMigration'
        $withCredential.Name | Should -Contain 'Get-SfPgRun'
        foreach ($command in $withCredential) {
            $credential = @($command.Parameters.Values | Where-Object ParameterType -eq ([pscredential]))
            $credential.Name | Should -Be 'Credential' -Because "$($command.Name) takes a credential"
            $credential.Aliases | Should -Contain 'PostgresCredential' -Because "$($command.Name) keeps the older name"
        }
    }

    It 'never prompts for the destructive cmdlets with -Force' {
        (Get-Command Stop-SfPgRun).Parameters.Keys | Should -Contain 'Force'
        (Get-Command Remove-SfPgRun).Parameters.Keys | Should -Contain 'Force'
    }
}

Describe 'Argument completion' {
    It 'completes -Source and -Table from the config file' {
        $config = Join-Path $Samples 'config.json'
        $line = "Get-SfPgChunk -ConfigPath '$config' -Source an"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'analytics'
        $line = "Get-SfPgChunk -ConfigPath '$config' -Source analytics -Table dim"
        $tables = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $tables | Should -Contain 'dimpayer'
        $tables | Should -Contain 'dimpatientaddress'
    }

    It 'resolves a relative -ConfigPath against the session''s location, not the process folder' {
        Push-Location $Samples
        try {
            # Set-Location moves the session, never the process: the two differ here.
            [Environment]::CurrentDirectory | Should -Not -Be (Get-Location).ProviderPath
            $line = "Get-SfPgChunk -ConfigPath ./config.json -Source an"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'analytics'
            $line = "Get-SfPgChunk -ConfigPath config.json -Source analytics -Table dim"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'dimpayer'
            Test-SfPgConfig -Path ./config.json -EnvFile ./sample.env -Quiet | Should -BeTrue
        }
        finally {
            Pop-Location
        }
    }
}
