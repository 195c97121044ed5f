// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {MicroToken} from "./MicroToken.sol";

/// @title Cumulative Merkle distributor for MICRO
/// @notice Each settlement epoch the settler publishes the root of a tree of
/// (account, cumulative amount) leaves, in OpenZeppelin's StandardMerkleTree format for
/// ["address", "uint256"] (the merkle-tree JS library), and in the same transaction mints exactly the growth of
/// the cumulative total to this contract. Anyone may submit a claim for any account; the
/// account is always the one paid, and receives its cumulative amount minus what it has
/// already claimed, so a claim against a later root never pays an earlier epoch twice.
contract RewardsDistributor is AccessControl, Pausable {
    bytes32 public constant SETTLER_ROLE = keccak256("SETTLER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    error EpochOutOfOrder(uint64 expected, uint64 got);
    error CumulativeTotalDecreased(uint256 previous, uint256 got);
    error CumulativeTotalTooLarge(uint256 got);
    error InvalidProof();
    error NothingToClaim();

    event RootPublished(uint64 indexed epoch, bytes32 root, uint256 cumulativeTotal, uint256 minted);
    event Claimed(address indexed account, uint256 paid, uint256 cumulativeAmount);

    MicroToken private immutable _token;

    /// @dev One storage slot, read and written once per publishRoot. A struct because a
    /// struct starts a fresh slot: as bare variables, `epoch` would pack after Pausable's
    /// bool and `totalCumulative` would spill into a second slot.
    struct Settlement {
        uint64 epoch;
        uint192 totalCumulative;
    }

    Settlement private _settlement;

    bytes32 private _root;

    /// @notice What each account has been paid so far (cumulative).
    mapping(address account => uint256) public claimed;

    constructor(MicroToken token_) {
        _token = token_;
        _grantRole(DEFAULT_ADMIN_ROLE, msg.sender);
        _grantRole(PAUSER_ROLE, msg.sender);
    }

    /// @notice Publishes epoch `epoch`'s root and mints the growth of the cumulative total to
    /// this contract, atomically. Epochs are strictly sequential, so a retried publish of an
    /// epoch that already landed reverts instead of minting twice.
    function publishRoot(uint64 epoch, bytes32 root, uint256 cumulativeTotal) external onlyRole(SETTLER_ROLE) {
        Settlement memory settled = _settlement;
        uint64 expected = settled.epoch + 1;
        if (epoch != expected) revert EpochOutOfOrder(expected, epoch);
        uint256 previous = settled.totalCumulative;
        if (cumulativeTotal < previous) revert CumulativeTotalDecreased(previous, cumulativeTotal);
        if (cumulativeTotal > type(uint192).max) revert CumulativeTotalTooLarge(cumulativeTotal);

        _settlement = Settlement({epoch: epoch, totalCumulative: uint192(cumulativeTotal)});
        _root = root;

        uint256 minted;
        unchecked {
            minted = cumulativeTotal - previous;
        }
        if (minted != 0) _token.mint(address(this), minted);
        emit RootPublished(epoch, root, cumulativeTotal, minted);
    }

    /// @notice Pays `account` what the current root says it has earned beyond what it has
    /// already claimed. Callable by anyone (the platform relays claims and pays the gas).
    function claim(
        address account,
        uint256 cumulativeAmount,
        bytes32[] calldata proof
    ) external whenNotPaused returns (uint256 paid) {
        bytes32 leaf = _leaf(account, cumulativeAmount);
        if (!MerkleProof.verifyCalldata(proof, _root, leaf)) revert InvalidProof();

        uint256 already = claimed[account];
        if (cumulativeAmount <= already) revert NothingToClaim();
        unchecked {
            paid = cumulativeAmount - already;
        }
        claimed[account] = cumulativeAmount;
        // MicroToken reverts on failure and has no transfer hooks, so no reentrancy here.
        _token.transfer(account, paid);
        emit Claimed(account, paid, cumulativeAmount);
    }

    /// @dev keccak256(bytes.concat(keccak256(abi.encode(account, cumulativeAmount)))), the
    /// StandardMerkleTree leaf, hashed in scratch space instead of freshly allocated memory.
    function _leaf(address account, uint256 cumulativeAmount) private pure returns (bytes32 leaf) {
        assembly ("memory-safe") {
            mstore(0x00, account)
            mstore(0x20, cumulativeAmount)
            mstore(0x00, keccak256(0x00, 0x40))
            leaf := keccak256(0x00, 0x20)
        }
    }

    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    function token() external view returns (address) {
        return address(_token);
    }

    function currentEpoch() external view returns (uint64) {
        return _settlement.epoch;
    }

    function merkleRoot() external view returns (bytes32) {
        return _root;
    }

    function totalCumulative() external view returns (uint256) {
        return _settlement.totalCumulative;
    }
}
