#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }

BeforeDiscovery {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $modulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    $script:Commands = Get-Command -Module SnowPgMigration -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
}

BeforeAll {
    $modulePath = if ($env:SFPG_MODULE_PATH) { $env:SFPG_MODULE_PATH } else { Join-Path $PSScriptRoot '..' '..' 'out' 'SnowPgMigration' }
    Import-Module (Join-Path $modulePath 'SnowPgMigration.psd1') -Force -ErrorAction Stop
    $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Help of <Name>' -ForEach $Commands {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'comes from the module''s MAML help, not the generated stub' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML help, Get-Help makes the synopsis from the syntax.
        $Help.Synopsis | Should -Not -Match '<CommonParameters>'

        $Help.Description | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples with code and remarks' {
        @($Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
        foreach ($example in $Help.Examples.Example) {
            $example.Code | Should -Match $Name
            ($example.Remarks | Out-String).Trim() | Should -Not -BeNullOrEmpty
        }
    }

    It 'describes every parameter' {
        $documented = @($Help.Parameters.Parameter.Name)
        foreach ($parameter in $Command.Parameters.Keys | Where-Object { $_ -notin $Common }) {
            $documented | Should -Contain $parameter
            ($Help.Parameters.Parameter | Where-Object Name -eq $parameter).Description.Text | Should -Not -BeNullOrEmpty
        }
    }

    It 'lists its related links by name, and has no online version to open' {
        # Get-Help -Online opens the cmdlet's HelpUri, else the first related link with an address; pwsh
        # accepts only absolute http(s) addresses (a file: URI is refused), and the project publishes its
        # help at none. A relative link (Get-Foo.md) made -Online fail with "The specified URI ... is not valid".
        $links = @($Help.relatedLinks.navigationLink)
        $links.Count | Should -BeGreaterThan 0
        $links.linkText | Should -Not -Contain ''
        $links.uri | Where-Object { $_ } | ForEach-Object { $_ | Should -Match '^https?://' }
        $Command.HelpUri | Should -BeNullOrEmpty
        $err = { Get-Help $Name -Online -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -Be 'InvalidOperation,Microsoft.PowerShell.Commands.GetHelpCommand'
        $err.Exception.Message | Should -BeLike '*Internet address (URI) of the Help topic is not specified*'
    }
}

Describe 'Module help' {
    It 'shows the examples of Start-SfPgMigration with -Full' {
        $text = Get-Help Start-SfPgMigration -Full | Out-String
        $text | Should -Match 'Example 1'
        $text | Should -Match 'Get-AutomationPSCredential'
    }

    It 'has the about_SnowPgMigration topic' {
        $about = Get-Help about_SnowPgMigration | Out-String
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'migration_chunk_status'
    }
}
