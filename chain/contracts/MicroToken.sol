// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title Tributary Micro (MICRO)
/// @notice The ERC-20 that Tributary's micro rewards settle in. Supply is created only by
/// `mint`, which only MINTER_ROLE holders may call: in practice the RewardsDistributor,
/// which mints exactly what each settlement epoch adds to the cumulative total.
contract MicroToken is ERC20, ERC20Permit, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @dev The deployer administers roles; it grants MINTER_ROLE to the distributor.
    constructor() ERC20("Tributary Micro", "MICRO") ERC20Permit("Tributary Micro") {
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
    }

    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }
}
